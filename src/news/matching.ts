/**
 * What a negotiation watches news for: `terms` match case-insensitively (the contract),
 * `caseSensitive` only as written (acronyms: "US" is not "us"), and an item holding any
 * `exclude` term is not matched at all. Every term matches whole words only.
 */
export interface Watch {
  terms: readonly string[];
  caseSensitive: readonly string[];
  exclude: readonly string[];
}

const escape = (term: string) => term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whole words: not next to a letter or digit ("NATO" matches "NATO's" and "(NATO)", not "NATOs" or "senatorial"). */
const contains = (text: string, term: string, flags: string) => new RegExp(`(?<![\\p{L}\\p{N}])${escape(term.trim())}(?![\\p{L}\\p{N}])`, flags).test(text);

/**
 * The watch terms an item's title or summary contains, in the order of `terms` then
 * `caseSensitive`; none when it holds an excluded term. A plain list is `terms` alone.
 */
export function matchedTerms(watch: Watch | readonly string[], item: { title: string; summary?: string | null }): string[] {
  const { terms, caseSensitive, exclude } = Array.isArray(watch) ? { terms: watch, caseSensitive: [], exclude: [] } : (watch as Watch);
  const text = `${item.title}\n${item.summary ?? ''}`;
  if (exclude.some((term) => contains(text, term, 'iu'))) return [];
  return [...terms.filter((term) => contains(text, term, 'iu')), ...caseSensitive.filter((term) => contains(text, term, 'u'))];
}

/**
 * An acronym: two to six capitals or digits with at least one letter ("US", "NATO", "E3").
 * Matched case-insensitively it would take the pronoun "us" or the word "nato" for the party.
 */
export const isAcronym = (term: string) => /^[\p{Lu}\p{N}]{2,6}$/u.test(term.trim()) && /\p{Lu}/u.test(term);

/**
 * A negotiation's default watch: its parties' names and aliases, its issues' titles and
 * keywords, once each. Aliases and keywords written as acronyms match only as written; names
 * and titles, as the contract has them, in any case.
 */
export function defaultWatch(parties: { name: string; aliases: string[] }[], issues: { title: string; keywords?: string[] }[]): Watch {
  const named = [...parties.map((p) => p.name), ...issues.map((i) => i.title)];
  const short = [...parties.flatMap((p) => p.aliases), ...issues.flatMap((i) => i.keywords ?? [])];
  const acronyms = short.filter(isAcronym);
  const anyCase = [...named, ...short.filter((t) => !isAcronym(t))];
  return { terms: once(anyCase, (t) => t.toLowerCase()), caseSensitive: once(acronyms, (t) => t), exclude: [] };
}

/** Each term once (trimmed), by `key`, in first-seen order; the last one written wins. */
export function once(terms: readonly string[], key: (term: string) => string): string[] {
  return [...new Map(terms.map((t) => [key(t.trim()), t.trim()] as const)).values()];
}

/** A party's own names as a watch (a news alert's `party`): its acronyms as written. */
export const partyWatch = (party: { name: string; aliases: string[] }): Watch => defaultWatch([party], []);

/** An issue's title and keywords as a watch (a news alert's `issue`). */
export const issueWatch = (issue: { title: string; keywords: string[] }): Watch => defaultWatch([], [issue]);
