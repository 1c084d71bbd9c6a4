import { InvalidRequest } from '../../shared/domain-error';

/**
 * The parties a question names must be known at its knownAt, each once (else 400). `paths`
 * names where each came from, as its edge wrote it: `between.0`, `party`, `toward`.
 */
export function checkParties(chosen: string[], known: string[], paths: (string | number)[][] = chosen.map((_, i) => ['between', i])): void {
  const issues = chosen.flatMap((party, i) => {
    if (!known.includes(party)) return [{ path: paths[i]!, message: `Unknown party "${party}"` }];
    if (chosen.indexOf(party) !== i) return [{ path: paths[i]!, message: `Party "${party}" is listed twice` }];
    return [];
  });
  if (issues.length > 0) throw new InvalidRequest(issues);
}
