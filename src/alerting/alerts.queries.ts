import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { sql, type Kysely } from 'kysely';
import type { DatabaseConnection } from '../database/connection';
import type { Database } from '../database/schema';
import { DATABASE } from '../database/database.module';
import { EventStore } from '../event-store/event-store';
import { eventJson } from '../negotiation/reading/event-json';
import { redactUrl } from '../outbound/allow-list';
import { ReadGate, type ReadContext } from '../projection-runner/read-gate';
import { openNegotiation } from '../negotiation/reading/open-as-of';
import { judge } from './verdicts';
import { judgeAppend, rulesInForce, type AppendGroup, type RuleInForce } from './judge-append';
import { measure } from './measure';
import { alertsStream } from '../negotiation/domain/streams';
import type { RuleDefinition } from './alert-rules';

export class ListAlertRules extends Query<{ rules: unknown[] }> {
  constructor(
    readonly negotiationId: string,
    /** Admins see full webhook URLs; everyone else scheme and host. */
    readonly reveal: boolean,
    readonly read?: ReadContext,
  ) {
    super();
  }
}

@QueryHandler(ListAlertRules)
export class ListAlertRulesHandler implements IQueryHandler<ListAlertRules> {
  constructor(private readonly gate: ReadGate) {}

  async execute({ negotiationId, reveal, read }: ListAlertRules) {
    const { db } = await openNegotiation(this.gate, negotiationId, read);
    const rules = await rulesInForce(db, negotiationId, Number.MAX_SAFE_INTEGER);
    return {
      rules: rules.map((r) => ({
        id: r.ruleId,
        name: r.name,
        rule: r.definition,
        webhook: r.webhook ? { url: reveal && r.webhook.target ? r.webhook.target : r.webhook.shown, stored: r.webhook.target !== null } : null,
        alertmanager: r.alertmanager ? { url: r.alertmanager } : null,
      })),
    };
  }
}

export class ListAlerts extends Query<{ alerts: unknown[] }> {
  constructor(readonly negotiationId: string, readonly from?: Date, readonly to?: Date, readonly read?: ReadContext) {
    super();
  }
}

/** Firings and restatements, by the time they were judged at (their `at`). */
@QueryHandler(ListAlerts)
export class ListAlertsHandler implements IQueryHandler<ListAlerts> {
  constructor(private readonly gate: ReadGate, private readonly store: EventStore) {}

  async execute({ negotiationId, from, to, read }: ListAlerts) {
    const { db } = await openNegotiation(this.gate, negotiationId, read);
    const rows = await db
      .selectFrom('events')
      .selectAll()
      .where('stream_id', '=', alertsStream(negotiationId))
      .$if(from !== undefined, (q) => q.where('occurred_at', '>=', from!))
      .$if(to !== undefined, (q) => q.where('occurred_at', '<=', to!))
      .orderBy('global_position')
      .execute();
    return { alerts: rows.map((row) => eventJson(this.store.toStoredEvent(row))) };
  }
}

export class ListDeliveries extends Query<{ deliveries: unknown[] }> {
  constructor(readonly negotiationId: string, readonly reveal: boolean, readonly status?: 'pending' | 'delivered' | 'dead', readonly read?: ReadContext) {
    super();
  }
}

/** Webhook deliveries, dead letters included; never the secret. */
@QueryHandler(ListDeliveries)
export class ListDeliveriesHandler implements IQueryHandler<ListDeliveries> {
  constructor(@Inject(DATABASE) private readonly database: DatabaseConnection, private readonly gate: ReadGate) {}

  async execute({ negotiationId, reveal, status, read }: ListDeliveries) {
    await openNegotiation(this.gate, negotiationId, read);
    const rows = await this.database.db
      .selectFrom('webhook_outbox')
      .select(['id', 'rule_id', 'url', 'status', 'attempts', 'next_attempt_at', 'last_error', 'created_at', 'delivered_at'])
      .where('negotiation_id', '=', negotiationId)
      .$if(status !== undefined, (q) => q.where('status', '=', status!))
      .orderBy('created_at')
      .execute();
    return {
      deliveries: rows.map((r) => ({
        id: r.id,
        rule: r.rule_id,
        url: reveal ? r.url : redactUrl(r.url),
        status: r.status,
        attempts: r.attempts,
        nextAttemptAt: r.status === 'pending' ? r.next_attempt_at : null,
        lastError: r.last_error,
        createdAt: r.created_at,
        deliveredAt: r.delivered_at,
      })),
    };
  }
}

export class ReplayAlertRule extends Query<{ by: string; firings: unknown[] }> {
  constructor(
    readonly negotiationId: string,
    readonly rule: RuleDefinition,
    readonly by: 'recorded' | 'valid',
    readonly from?: Date,
    readonly read?: ReadContext,
  ) {
    super();
  }
}

/**
 * Tries a rule on history without writing anything. `recorded`: as live evaluation would have
 * judged each append (at = knownAt = its recordedAt). `valid`: as the talks unfolded, at each
 * valid time something changed, with everything known now.
 */
@QueryHandler(ReplayAlertRule)
export class ReplayAlertRuleHandler implements IQueryHandler<ReplayAlertRule> {
  constructor(private readonly gate: ReadGate) {}

  async execute({ negotiationId, rule, by, from, read }: ReplayAlertRule) {
    const { db, now } = await openNegotiation(this.gate, negotiationId, read);
    const firings = by === 'recorded' ? await replayByRecorded(db, negotiationId, rule, from) : await replayByValid(db, negotiationId, rule, from, now);
    return { by, firings };
  }
}

/** Replay in recorded time: each append to the negotiation judged as the projector judged it. */
async function replayByRecorded(db: Kysely<Database>, negotiationId: string, rule: RuleDefinition, from: Date | undefined): Promise<unknown[]> {
  const candidate: RuleInForce = { ruleId: '00000000-0000-0000-0000-000000000000', negotiationId, name: 'replay', definition: rule, webhook: null, alertmanager: null };
  const firings: unknown[] = [];
  const open = new Set<string>();
  const { rows } = await sql<{ recorded_at: Date; first: string; last: string; id: string; type: string }>`
    select recorded_at, min(global_position) as first, max(global_position) as last,
           (array_agg(id order by global_position desc))[1] as id, (array_agg(type order by global_position desc))[1] as type
    from events where stream_id = ${negotiationId} ${from ? sql`and recorded_at >= ${from}` : sql``}
    group by recorded_at order by recorded_at`.execute(db);
  for (const row of rows) {
    const group: AppendGroup = {
      negotiationId,
      recordedAt: row.recorded_at,
      firstPosition: Number(row.first),
      last: { id: row.id, globalPosition: Number(row.last), type: row.type },
    };
    for (const f of await judgeAppend(db, group, [candidate])) {
      // As live: a resolution counts only for a condition that fired and is still open.
      if (f.type === 'AlertResolved' && !open.delete(f.key!)) continue;
      if (f.type === 'AlertFired' && f.key !== undefined) open.add(f.key);
      firings.push({
        type: f.type,
        at: f.at.toISOString(),
        knownAt: f.knownAt.toISOString(),
        summary: f.summary,
        before: f.before,
        after: f.after,
        triggeringEvent: f.triggeringEvent,
        ...(f.from ? { from: f.from.toISOString() } : {}),
        ...(f.key !== undefined ? { key: f.key } : {}),
      });
    }
  }
  return firings;
}

/** Replay in valid time: the rule judged at each instant something changed, with everything known now. */
async function replayByValid(db: Kysely<Database>, negotiationId: string, rule: RuleDefinition, from: Date | undefined, knownAt: Date): Promise<unknown[]> {
  const firings: unknown[] = [];
  const { rows } = await sql<{ occurred_at: Date; event_id: string; position: string; type: string }>`
    select distinct on (v.occurred_at) v.occurred_at, v.event_id, v.version_position as position, v.type
    from stance_versions v
    where v.negotiation_id = ${negotiationId} ${from ? sql`and v.occurred_at >= ${from}` : sql``}
    order by v.occurred_at, v.version_position`.execute(db);
  for (const row of rows) {
    const at = row.occurred_at;
    const before = await measure(db, negotiationId, rule, { at: new Date(at.getTime() - 1), knownAt });
    const after = await measure(db, negotiationId, rule, { at, knownAt });
    for (const verdict of judge(rule, before, after)) {
      firings.push({
        type: 'AlertFired',
        at: at.toISOString(),
        knownAt: knownAt.toISOString(),
        summary: verdict.summary,
        before,
        after,
        triggeringEvent: { id: row.event_id, globalPosition: Number(row.position), type: row.type },
      });
    }
  }
  return firings;
}

export const alertQueryHandlers = [ListAlertRulesHandler, ListAlertsHandler, ListDeliveriesHandler, ReplayAlertRuleHandler];
