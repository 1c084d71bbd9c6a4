import { sql, type Insertable, type Transaction } from 'kysely';
import { v5 as uuidv5 } from 'uuid';
import type { Database, WebhookOutboxTable } from '../database/schema';
import type { StoredEvent } from '../event-store/types';
import { alertmanagerAlertsUrl, postableAlert } from './alertmanager-payload';
import type { EventStore } from '../event-store/event-store';
import type { ProjectedBatch } from '../projection-runner/batch-consumer';
import { isNegotiationType } from '../negotiation/domain/events';
import { judgeAppend, rulesInForce, type AppendGroup, type Firing } from './judge-append';
import { judgeNews } from './judge-news';
import { alertsStream, isSubStream } from '../negotiation/domain/streams';
import { OUTBOX_CHANNEL } from './webhook-deliverer';
import { webhookPayload } from './webhook-payload';
import { contextOf, currentTraceparent, inSpan } from '../shared/tracing';

/** Namespace of Alertmanager delivery ids: UUIDv5(firing id + "/alertmanager"). */
const ALERTMANAGER_DELIVERY = '6f1d4c52-8b0e-4f7a-9f3e-2d1c0b9a8e71';

export interface AlertingOptions {
  externalUrl: string;
  /** How often open level alerts are re-sent to Alertmanager (their endsAt lies a few of these ahead). */
  resendMs: number;
  onFiring?: (firing: Firing) => void;
}

/**
 * Judges every append of a projector batch exactly once, inside the batch's transaction: the
 * firings (events in `<nid>.alerts`), their webhook deliveries (outbox rows) and the alerting
 * checkpoint commit together with the projection, or not at all. The batch's events are the
 * projector's (read once); each records whether it ends its append, so an append split across
 * two batches is judged with the batch that holds its last event, carried meanwhile by its
 * first position (`pending_from`).
 */
export async function evaluateAlerts(
  trx: Transaction<Database>,
  store: EventStore,
  { events, checkpoint: upTo }: ProjectedBatch,
  options: AlertingOptions,
): Promise<void> {
  const mark = await trx.selectFrom('alerting_checkpoint').select(['position', 'pending_from']).executeTakeFirstOrThrow();
  const checkpoint = Number(mark.position);
  if (checkpoint >= upTo) return;
  const writer = store.over(trx);
  const fresh = [...(await missedBefore(writer, checkpoint, events[0]?.globalPosition ?? upTo + 1)), ...events.filter((e) => e.globalPosition > checkpoint)];
  const { appends, unfinished } = appendsOf(fresh, mark.pending_from === null ? null : Number(mark.pending_from));
  // One query for the batch: most negotiations have no rule, and their appends (a thousand
  // one-event appends in a busy batch) need no look at rules each.
  const judged = appends.filter((a) => !isSubStream(a.negotiationId) && isNegotiationType(a.last.type));
  const withRules = await negotiationsWithRules(trx, [...new Set(judged.map((a) => a.negotiationId))]);
  for (const append of judged) {
    if (!withRules.has(append.negotiationId)) continue;
    // In the append's own trace (its traceparent, stored with the event): request to webhook.
    await inSpan('parley.alerts.evaluate', { parent: contextOf(append.traceparent), attributes: { 'parley.negotiation': append.negotiationId, 'parley.position': append.last.globalPosition } }, async (span) => {
      const firings = await judgeAppend(trx, append, await rulesInForce(trx, append.negotiationId, append.firstPosition));
      span.setAttribute('parley.firings', firings.length);
      if (firings.length > 0) await record(trx, writer, append.negotiationId, firings, options);
    });
  }
  for (const [negotiationId, firings] of await judgeNews(trx, fresh)) await record(trx, writer, negotiationId, firings, options);
  await trx.updateTable('alerting_checkpoint').set({ position: String(upTo), pending_from: unfinished === null ? null : String(unfinished) }).execute();
}

/** Which of these negotiations have ever had an alert rule. */
async function negotiationsWithRules(trx: Transaction<Database>, negotiationIds: string[]): Promise<Set<string>> {
  if (negotiationIds.length === 0) return new Set();
  const rows = await trx.selectFrom('alert_rule_versions').select('negotiation_id').distinct().where('negotiation_id', 'in', negotiationIds).execute();
  return new Set(rows.map((r) => r.negotiation_id));
}

/**
 * Events between the alerting checkpoint and the batch's first: none while the two checkpoints
 * move together, as every batch moves them. They part when a rebuild swaps in its tables: its
 * checkpoint is the head it caught up to under the lock, which may be past where the live
 * projector (and so alert evaluation) had reached. Those events are read here, once, so no
 * append goes unjudged.
 */
async function missedBefore(store: EventStore, checkpoint: number, batchStart: number): Promise<StoredEvent[]> {
  const missed: StoredEvent[] = [];
  for (let after = checkpoint; after < batchStart - 1; ) {
    const page = await store.readAll({ after, limit: Math.min(5000, batchStart - 1 - after) });
    if (page.length === 0) break;
    missed.push(...page);
    after = page[page.length - 1]!.globalPosition;
  }
  return missed;
}

/**
 * The batch's appends, each ending at an event that ends its append; `carried` is the first
 * position of an append the previous batch began. An append still open at the batch's end is
 * not judged yet: its first position is returned as `unfinished`.
 */
export function appendsOf(events: StoredEvent[], carried: number | null): { appends: AppendGroup[]; unfinished: number | null } {
  const appends: AppendGroup[] = [];
  let first = carried;
  for (const event of events) {
    first ??= event.globalPosition;
    if (!event.endsAppend) continue;
    const traceparent = typeof event.metadata.traceparent === 'string' ? event.metadata.traceparent : undefined;
    appends.push({ negotiationId: event.streamId, recordedAt: event.recordedAt, firstPosition: first, last: { id: event.id, globalPosition: event.globalPosition, type: event.type }, ...(traceparent ? { traceparent } : {}) });
    first = null;
  }
  return { appends, unfinished: first };
}

/**
 * The open firing of a level rule's condition, read from the alerts stream itself (so a
 * firing earlier in this transaction counts): the latest AlertFired or AlertResolved of it.
 */
async function openFiring(trx: Transaction<Database>, negotiationId: string, ruleId: string, key: string) {
  const last = await trx
    .selectFrom('events')
    .select(['id', 'type', sql<string>`data->>'at'`.as('at')])
    .where('stream_id', '=', alertsStream(negotiationId))
    .where('type', 'in', ['AlertFired', 'AlertResolved'])
    .where(sql<boolean>`data->>'rule' = ${ruleId} and data->>'key' = ${key}`)
    .orderBy('global_position', 'desc')
    .executeTakeFirst();
  return last?.type === 'AlertFired' ? { id: last.id, startsAt: new Date(last.at) } : null;
}

/** Resolutions count only for a condition whose firing is still open. */
async function withOpenFirings(trx: Transaction<Database>, negotiationId: string, firings: Firing[]): Promise<Firing[]> {
  const kept: Firing[] = [];
  for (const firing of firings) {
    if (firing.type !== 'AlertResolved') {
      kept.push(firing);
      continue;
    }
    const open = await openFiring(trx, negotiationId, firing.rule.ruleId, firing.key!);
    if (open) kept.push({ ...firing, resolves: open.id, startsAt: open.startsAt });
  }
  return kept;
}

async function record(trx: Transaction<Database>, store: EventStore, negotiationId: string, candidates: Firing[], options: AlertingOptions) {
  const firings = await withOpenFirings(trx, negotiationId, candidates);
  if (firings.length === 0) return;
  // The trace the firing belongs to (the triggering append's, when tracing is on): its event and deliveries carry it on.
  const traceparent = currentTraceparent();
  const result = await store.appendInTransaction(
    trx,
    alertsStream(negotiationId),
    firings.map((f) => ({
      type: f.type,
      occurredAt: f.at,
      ...(traceparent ? { metadata: { traceparent } } : {}),
      data: {
        rule: f.rule.ruleId,
        name: f.rule.name,
        kind: f.rule.definition.kind,
        triggeringEvent: f.triggeringEvent,
        at: f.at.toISOString(),
        knownAt: f.knownAt.toISOString(),
        before: f.before,
        after: f.after,
        summary: f.summary,
        ...(f.from ? { from: f.from.toISOString() } : {}),
        ...(f.key !== undefined ? { key: f.key } : {}),
        ...(f.resolves ? { firing: f.resolves } : {}),
      },
    })),
  );
  const stored = await store.readAll({ after: result.events[0]!.globalPosition - 1, limit: firings.length });
  const outbox = firings.flatMap((firing, i) => {
    options.onFiring?.(firing);
    return outboxRows(negotiationId, firing, stored[i]!, options).map((row) => ({ ...row, traceparent: traceparent ?? null }));
  });
  if (outbox.length > 0) {
    await trx.insertInto('webhook_outbox').values(outbox).execute();
    await sql`select pg_notify(${OUTBOX_CHANNEL}, '')`.execute(trx);
  }
}

/** A firing's deliveries: its webhook notification and its Alertmanager alert, as the rule asks. */
function outboxRows(negotiationId: string, firing: Firing, event: StoredEvent, options: AlertingOptions): Insertable<WebhookOutboxTable>[] {
  const rows: Insertable<WebhookOutboxTable>[] = [];
  const base = { negotiation_id: negotiationId, rule_id: firing.rule.ruleId, next_attempt_at: event.recordedAt, created_at: event.recordedAt };
  const { webhook, alertmanager } = firing.rule;
  if (webhook) {
    // A restored log has the rule but not its URL and secret (never exported): the delivery
    // is a dead letter that says so, rather than an unsigned post or a silent gap.
    const missing = webhook.target === null;
    rows.push({
      ...base,
      id: event.id,
      kind: 'webhook',
      url: webhook.target ?? webhook.shown,
      payload: JSON.stringify(webhookPayload(firing, event, options.externalUrl)),
      status: missing ? 'dead' : 'pending',
      last_error: missing ? `the webhook URL and secret are not stored here (a restored log?): set them again with PUT /negotiations/${negotiationId}/alert-rules/${firing.rule.ruleId}` : null,
    });
  }
  if (alertmanager) {
    rows.push({
      ...base,
      id: uuidv5(`${event.id}/alertmanager`, ALERTMANAGER_DELIVERY),
      kind: 'alertmanager',
      url: alertmanagerAlertsUrl(alertmanager),
      payload: JSON.stringify([postableAlert(firing, { externalUrl: options.externalUrl, resendMs: options.resendMs })]),
      status: 'pending',
      last_error: null,
    });
  }
  return rows;
}

/** Alerts were judged when restored events were first recorded: a restore never fires them again. */
export async function markJudged(trx: Transaction<Database>, head: number): Promise<void> {
  await trx.updateTable('alerting_checkpoint').set({ position: String(head), pending_from: null }).execute();
}
