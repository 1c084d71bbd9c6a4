/** Letters and digits: what a whole-word match may not be next to. */
const escape = (term: string) => term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The watch terms an item's title or summary contains, case-insensitively and as whole words
 * ("NATO" matches "NATO's" and "(NATO)", not "NATOs" or "senatorial"), in the order of `terms`.
 */
export function matchedTerms(terms: readonly string[], item: { title: string; summary?: string | null }): string[] {
  const text = `${item.title}\n${item.summary ?? ''}`;
  return terms.filter((term) => new RegExp(`(?<![\\p{L}\\p{N}])${escape(term.trim())}(?![\\p{L}\\p{N}])`, 'iu').test(text));
}

/** A negotiation's default watch terms: its parties' names and aliases, its issues' titles, once each. */
export function defaultTerms(parties: { name: string; aliases: string[] }[], issues: { title: string }[]): string[] {
  const all = [...parties.flatMap((p) => [p.name, ...p.aliases]), ...issues.map((i) => i.title)];
  const seen = new Set<string>();
  return all.filter((term) => {
    const key = term.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
