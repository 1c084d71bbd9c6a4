import type { KnownIssue, TimelineFact } from '../stances/stance.repository';

/**
 * An evidence-aware reading of each cell (issue 30, item 7), beside the contract's rule. The
 * contract's stance is the latest fact, whatever its evidence: a vaguer later statement
 * replaces a written proposal, and of two facts with the same valid time the later recorded
 * wins. Here every statement of the party on the issue within `window` before `at` (and since
 * its last withdrawal) counts, weighted by how it is known:
 *
 *   weight = basis weight (quoted 1, paraphrased 0.8, inferred 0.5, not coded 0.8)
 *          × confidence (1 when not coded)
 *          × precision, 1 − (range width ÷ scale width), at least 0.1 (1 without a range),
 *
 * and the cell reads the weighted mean, with the spread of the statements (weighted standard
 * deviation, lowest and highest) and every source. The weights are a coder's conventions, not
 * estimates: docs/metrics.md says where they come from and when not to use this reading.
 */
export const BASIS_WEIGHT: Record<string, number> = { quoted: 1, paraphrased: 0.8, inferred: 0.5 };
const UNCODED_BASIS_WEIGHT = 0.8;
const MIN_PRECISION = 0.1;

export interface EvidenceCell {
  party: string;
  issue: string;
  /** The contract's stance: the latest fact's value. */
  latest: number;
  /** The evidence-weighted mean of the statements in the window. */
  value: number;
  spread: { sd: number; low: number; high: number };
  sources: { eventId: string; value: number; occurredAt: string; basis: string | null; confidence: number | null; uncertainty: { low: number; high: number } | null; weight: number; source: TimelineFact['source'] }[];
}

export function evidenceWeight(fact: Pick<TimelineFact, 'basis' | 'confidence' | 'uncertainty'>, scale: { min: number; max: number }): number {
  const basis = fact.basis === null ? UNCODED_BASIS_WEIGHT : (BASIS_WEIGHT[fact.basis] ?? UNCODED_BASIS_WEIGHT);
  const precision = fact.uncertainty ? Math.max(MIN_PRECISION, 1 - (fact.uncertainty.high - fact.uncertainty.low) / (scale.max - scale.min)) : 1;
  return basis * (fact.confidence ?? 1) * precision;
}

/**
 * The cells held at `at` by the contract's rule (the timeline in valid-time order, as
 * timelineOf returns it), each read from the statements within `windowMs` before `at`.
 */
export function evidenceAt(timeline: readonly TimelineFact[], issues: KnownIssue[], at: Date, windowMs: number): EvidenceCell[] {
  const scales = new Map(issues.map((i) => [i.issue, i.scale]));
  const byCell = new Map<string, TimelineFact[]>();
  for (const fact of timeline) {
    if ((fact.countsFrom ?? fact.occurredAt).getTime() > at.getTime()) continue;
    const key = `${fact.party}\u0000${fact.issue}`;
    // A withdrawal ends what came before it: the cell starts again after it.
    if (fact.kind === 'withdraw') byCell.set(key, []);
    else byCell.set(key, [...(byCell.get(key) ?? []), fact]);
  }
  const cells: EvidenceCell[] = [];
  for (const facts of byCell.values()) {
    const latest = facts.at(-1);
    const scale = latest && scales.get(latest.issue);
    if (!latest || !scale) continue;
    const since = at.getTime() - windowMs;
    const counted = facts.filter((f) => f === latest || (f.countsFrom ?? f.occurredAt).getTime() > since);
    const weighed = counted.map((f) => ({ fact: f, weight: evidenceWeight(f, scale) }));
    const total = weighed.reduce((sum, w) => sum + w.weight, 0);
    const value = weighed.reduce((sum, w) => sum + w.weight * w.fact.value!, 0) / total;
    const sd = Math.sqrt(weighed.reduce((sum, w) => sum + w.weight * (w.fact.value! - value) ** 2, 0) / total);
    cells.push({
      party: latest.party,
      issue: latest.issue,
      latest: latest.value!,
      value,
      spread: { sd, low: Math.min(...counted.map((f) => f.value!)), high: Math.max(...counted.map((f) => f.value!)) },
      sources: weighed.map(({ fact, weight }) => ({
        eventId: fact.eventId,
        value: fact.value!,
        occurredAt: fact.occurredAt.toISOString(),
        basis: fact.basis,
        confidence: fact.confidence,
        uncertainty: fact.uncertainty,
        weight,
        source: fact.source,
      })),
    });
  }
  return cells.sort((x, y) => x.party.localeCompare(y.party) || x.issue.localeCompare(y.issue));
}
