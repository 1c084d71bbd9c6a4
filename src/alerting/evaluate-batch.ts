import { sql, type Insertable, type Transaction } from 'kysely';
import { v5 as uuidv5 } from 'uuid';
import type { Database, WebhookOutboxTable } from '../database/schema';
import type { StoredEvent } from '../event-store/types';
import { alertmanagerAlertsUrl, postableAlert } from './alertmanager-payload';
import { EventStore } from '../event-store/event-store';
import type { EventRegistry } from '../event-store/event-registry';
import { isNegotiationType } from '../negotiation/domain/events';
import { judgeAppend, rulesInForce, type AppendGroup, type Firing } from './judge-append';
import { judgeNews } from './judge-news';
import { alertsStream, isSubStream } from '../negotiation/domain/streams';
import { OUTBOX_CHANNEL } from './webhook-deliverer';
import { webhookPayload } from './webhook-payload';

/** Namespace of Alertmanager delivery ids: UUIDv5(firing id + "/alertmanager"). */
const ALERTMANAGER_DELIVERY = '6f1d4c52-8b0e-4f7a-9f3e-2d1c0b9a8e71';

export interface AlertingOptions {
  externalUrl: string;
  /** How often open level alerts are re-sent to Alertmanager (their endsAt lies a few of these ahead). */
  resendMs: number;
  onFiring?: (firing: Firing) => void;
}

/**
 * Judges every append up to `upTo` exactly once, inside the projector's transaction: the
 * firings (events in `<nid>.alerts`), their webhook deliveries (outbox rows) and the alerting
 * checkpoint commit together with the projection, or not at all. An append split across two
 * projector batches waits for its last event.
 */
export async function evaluateAlerts(
  trx: Transaction<Database>,
  registry: EventRegistry,
  upTo: number,
  options: AlertingOptions,
): Promise<void> {
  const mark = await trx.selectFrom('alerting_checkpoint').select(['position', 'pending_from']).executeTakeFirstOrThrow();
  const checkpoint = Number(mark.position);
  if (checkpoint >= upTo) return;
  // Each event is read once: an append still unfinished at the batch's end is remembered by
  // its first position, and the checkpoint moves on regardless (linear, however long the append).
  const pendingFrom = mark.pending_from === null ? null : Number(mark.pending_from);
  const rows = await trx
    .selectFrom('events')
    .select(['global_position', 'id', 'stream_id', 'type', 'recorded_at'])
    .where('global_position', '>', String(pendingFrom === null ? checkpoint : pendingFrom - 1))
    .where('global_position', '<=', String(upTo))
    .where((eb) => eb.or([eb('global_position', '>', String(checkpoint)), eb('global_position', '=', String(pendingFrom ?? 0))]))
    .orderBy('global_position')
    .execute();
  const groups = appendGroups(rows);
  const next = await trx.selectFrom('events').select(['recorded_at', 'stream_id']).where('global_position', '=', String(upTo + 1)).executeTakeFirst();
  const tail = groups[groups.length - 1];
  const unfinished = tail && next && next.stream_id === tail.negotiationId && next.recorded_at.getTime() === tail.recordedAt.getTime();
  if (unfinished) groups.pop();

  const store = new EventStore(trx, registry);
  for (const group of groups) {
    if (isSubStream(group.negotiationId) || !isNegotiationType(group.last.type)) continue;
    const firings = await judgeAppend(trx, group, await rulesInForce(trx, group.negotiationId, group.firstPosition));
    if (firings.length > 0) await record(trx, store, group.negotiationId, firings, options);
  }
  // News rules only when the batch holds news (the rows above are every event it holds).
  if (rows.some((r) => r.type === 'NewsItemReceived' && Number(r.global_position) > checkpoint)) {
    for (const [negotiationId, firings] of await judgeNews(trx, checkpoint, upTo)) await record(trx, store, negotiationId, firings, options);
  }
  await trx
    .updateTable('alerting_checkpoint')
    .set({ position: String(upTo), pending_from: unfinished ? String(tail.firstPosition) : null })
    .execute();
}

/** Consecutive events of one stream recorded at one instant: one append, the unit rules judge. */
function appendGroups(rows: { global_position: string; id: string; stream_id: string; type: string; recorded_at: Date }[]): AppendGroup[] {
  const groups: AppendGroup[] = [];
  for (const row of rows) {
    const position = Number(row.global_position);
    const current = groups[groups.length - 1];
    const last = { id: row.id, globalPosition: position, type: row.type };
    if (current && current.recordedAt.getTime() === row.recorded_at.getTime() && current.negotiationId === row.stream_id) {
      current.last = last;
    } else {
      groups.push({ negotiationId: row.stream_id, recordedAt: row.recorded_at, firstPosition: position, last });
    }
  }
  return groups;
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
  const result = await store.appendInTransaction(
    trx,
    alertsStream(negotiationId),
    firings.map((f) => ({
      type: f.type,
      occurredAt: f.at,
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
    return outboxRows(negotiationId, firing, stored[i]!, options);
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
