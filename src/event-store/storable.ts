/** How deep event data may nest: far beyond any real event, far below any stack limit. */
export const MAX_DEPTH = 64;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function unstorableText(text: string): string | undefined {
  if (text.includes('\u0000')) return 'Contains a NUL character (\\u0000), which PostgreSQL cannot store';
  if (LONE_SURROGATE.test(text)) return 'Contains a lone UTF-16 surrogate (e.g. \\ud800), which is not valid Unicode';
  return undefined;
}

/**
 * The first place in `value` that jsonb cannot store (U+0000, a lone surrogate, in a string or
 * a key) or that nests deeper than MAX_DEPTH, with its path. Walked without recursion, so no
 * input can exhaust the stack.
 */
export function findUnstorable(value: unknown, root: (string | number)[]): { path: (string | number)[]; message: string } | undefined {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: root }];
  while (stack.length > 0) {
    const { value: item, path } = stack.pop()!;
    if (typeof item === 'string') {
      const message = unstorableText(item);
      if (message) return { path, message };
      continue;
    }
    if (item === null || typeof item !== 'object') continue;
    if (path.length - root.length >= MAX_DEPTH) return { path, message: `Nested deeper than ${MAX_DEPTH} levels` };
    const entries = Array.isArray(item) ? item.map((v, i) => [i, v] as const) : Object.entries(item);
    for (const [key, child] of entries.reverse()) {
      const message = typeof key === 'string' ? unstorableText(key) : undefined;
      if (message) return { path: [...path, key], message };
      stack.push({ value: child, path: [...path, key] });
    }
  }
  return undefined;
}
