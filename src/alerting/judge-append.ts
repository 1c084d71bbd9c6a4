import { isDeepStrictEqual } from 'node:util';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../database/schema';
import type { AsOf } from '../negotiation/stances/stance';
import { judge, resolutions, restates, type Measure } from './verdicts';
import { measure } from './measure';
import { redactUrl } from '../outbound/allow-list';
import { ruleDefinitionSchema, type RuleDefinition } from './alert-rules';

export interface RuleInForce {
  ruleId: string;
  negotiationId: string;
  name: string;
  definition: RuleDefinition;
  /**
   * Where firings are posted: `shown` as history and non-admins see it (redacted), `target`
   * the full URL kept beside its secret, or null when it is not stored here (a restored log).
   */
  webhook: { shown: string; target: string | null } | null;
  /** Alertmanager's base URL, or null. */
  alertmanager: string | null;
}

/**
 * One change to a negotiation: the events recorded at one recordedAt (one append, or the rare
 * appends that share a millisecond), the unit a rule judges.
 */
export interface AppendGroup {
  negotiationId: string;
  recordedAt: Date;
  firstPosition: number;
  last: { id: string; globalPosition: number; type: string };
  /** The append's trace, when it was traced: its judgement and deliveries continue it. */
  traceparent?: string;
}

export interface Firing {
  /** AlertResolved: a level condition that held before this change cleared (recorded only if it fired). */
  type: 'AlertFired' | 'AlertRestated' | 'AlertResolved';
  rule: RuleInForce;
  triggeringEvent: AppendGroup['last'];
  at: Date;
  knownAt: Date;
  before: Measure;
  after: Measure;
  summary: string;
  from?: Date;
  /** Level rules: the condition's key (see verdicts `conditions`). */
  key?: string;
  /** AlertResolved: the firing it closes, and when that firing started. */
  resolves?: string;
  startsAt?: Date;
}


/** The rules of a negotiation in force just before `position`. */
export async function rulesInForce(db: Kysely<Database>, negotiationId: string, position: number): Promise<RuleInForce[]> {
  const rows = await db
    .selectFrom('alert_rule_versions')
    .distinctOn('rule_id')
    .selectAll()
    .where('negotiation_id', '=', negotiationId)
    .where('position', '<', String(position))
    .orderBy('rule_id')
    .orderBy('position', 'desc')
    .execute();
  const live = rows.filter((r) => !r.removed);
  const withHooks = live.filter((r) => r.webhook_url !== null).map((r) => r.rule_id);
  const targets = new Map(
    withHooks.length === 0
      ? []
      : (await db.selectFrom('webhook_secrets').select(['rule_id', 'url']).where('rule_id', 'in', withHooks).execute()).map((t) => [t.rule_id, t.url]),
  );
  return live.map((r) => ({
    ruleId: r.rule_id,
    negotiationId,
    name: r.name,
    definition: ruleDefinitionSchema.parse(r.params),
    webhook: r.webhook_url === null ? null : { shown: redactUrl(r.webhook_url), target: targets.get(r.rule_id) ?? legacyTarget(r.webhook_url) },
    alertmanager: r.alertmanager_url,
  }));
}

/** Rules saved before full URLs moved out of events kept the full URL in the event itself. */
function legacyTarget(url: string): string | null {
  return redactUrl(url) === url ? null : url;
}

/**
 * Judges rules on one change at at = knownAt = its recordedAt: before = what was known 1 ms
 * earlier, after = with it. A back-dated append
 * that changes what a rule watches at its own valid time also gets one restatement.
 */
export async function judgeAppend(db: Kysely<Database>, group: AppendGroup, rules: RuleInForce[]): Promise<Firing[]> {
  if (rules.length === 0) return [];
  const at = group.recordedAt;
  const before: AsOf = { at, knownAt: new Date(at.getTime() - 1) };
  const after: AsOf = { at, knownAt: at };
  const backdatedFrom = await backdated(db, group);
  const firings: Firing[] = [];
  for (const rule of rules) {
    const [b, a] = [await measure(db, group.negotiationId, rule.definition, before), await measure(db, group.negotiationId, rule.definition, after)];
    const change = { rule, triggeringEvent: group.last, at, knownAt: at, before: b, after: a };
    for (const verdict of resolutions(rule.definition, b, a)) firings.push({ type: 'AlertResolved', ...change, ...verdict });
    for (const verdict of judge(rule.definition, b, a)) firings.push({ type: 'AlertFired', ...change, ...verdict });
    if (backdatedFrom && restates(rule.definition)) {
      const pastBefore = await measure(db, group.negotiationId, rule.definition, { at: backdatedFrom, knownAt: before.knownAt });
      const pastAfter = await measure(db, group.negotiationId, rule.definition, { at: backdatedFrom, knownAt: at });
      if (!isDeepStrictEqual(pastBefore, pastAfter)) {
        firings.push({
          type: 'AlertRestated',
          rule,
          triggeringEvent: group.last,
          at,
          knownAt: at,
          before: pastBefore,
          after: pastAfter,
          from: backdatedFrom,
          summary: `late news changed what "${rule.name}" watches from ${backdatedFrom.toISOString()} on`,
        });
      }
    }
  }
  return firings;
}

/**
 * The earliest valid time the append touches (new statements, corrected or retracted ones),
 * when it lies before the latest one already known: late news.
 */
async function backdated(db: Kysely<Database>, group: AppendGroup): Promise<Date | null> {
  const { rows } = await sql<{ earliest: Date | null; latest: Date | null }>`
    select
      (select min(occurred_at) from stance_versions
        where negotiation_id = ${group.negotiationId}
          and version_position between ${group.firstPosition} and ${group.last.globalPosition}) as earliest,
      (select max(occurred_at) from stance_versions
        where negotiation_id = ${group.negotiationId} and version_position < ${group.firstPosition}) as latest`.execute(db);
  const { earliest, latest } = rows[0] ?? {};
  return earliest && latest && earliest < latest ? earliest : null;
}
