import type { Kysely } from 'kysely';
import type { Database } from '../../database/schema';
import type { AsOf } from '../../negotiation/stances/stance';
import type { RuleDefinition } from '../alert-rules';

/** What a rule watches, measured at one (at, knownAt). */
export type Measure =
  | { kind: 'gap'; value: number | null }
  | { kind: 'gap_change'; now: number | null; then: number | null; change: number | null }
  | { kind: 'stance'; value: number | null }
  | { kind: 'red_line'; line: { min: number | null; max: number | null } | null; values: Record<string, number> }
  | { kind: 'zone'; z: number | null }
  /** Recorded outcomes by issue (the rule's issue only, when it names one). */
  | { kind: 'outcome'; outcomes: Record<string, { value: number | null; eventId: string }> }
  /** News rules watch arriving items, not the projection: nothing to measure on an append. */
  | { kind: 'news'; item?: string; title?: string; matchedTerms?: string[] };

export interface Verdict {
  summary: string;
  /** For a level rule, which condition became true: open until a resolution with the same key. */
  key?: string;
}

/**
 * One kind of alert rule, whole: how it measures the projection, when a change fires it, and,
 * for a level rule, which conditions hold (and how a cleared one reads). A new kind is one
 * module beside the others and one line in kinds/index.ts.
 */
export interface AlertKind<R extends RuleDefinition, M extends Measure> {
  measure(db: Kysely<Database>, negotiationId: string, rule: R, asOf: AsOf): Promise<M>;
  /** Edge-triggered: a condition that stays true fires once, when it becomes true. */
  judge(rule: R, before: M, after: M): Verdict[];
  /** The conditions a level rule holds true at one measure, by key; null for an edge rule. */
  conditions(rule: R, measured: M): Map<string, boolean> | null;
  /** How a level condition that held reads once it cleared. */
  cleared(rule: R, after: M, key: string): string;
  /** Judged on recorded time only: back-dated news is not restated for it (default false). */
  timeless?: boolean;
}

export const fmt = (v: number | null) => (v === null ? 'none' : String(Math.round(v * 100) / 100));
