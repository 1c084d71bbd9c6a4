import { createHmac } from 'node:crypto';
import { sql } from 'kysely';
import type { DatabaseConnection } from '../database/connection';
import { NotifiedLoop } from '../event-store/notified-loop';
import { hostAllowed } from '../outbound/allow-list';
import { contextOf, inSpan, SpanKind, traceHeaders } from '../shared/tracing';
import { outboundRequest } from '../outbound/request';

export interface DelivererOptions {
  allow: string[];
  backoffMs: number;
  maxAttempts: number;
  timeoutMs: number;
  /** A claimed row is due again after this long, should the process die mid-call. */
  leaseMs: number;
  pollIntervalMs?: number;
  onOutcome?: (outcome: 'delivered' | 'failed' | 'dead', delivered?: { kind: 'webhook' | 'alertmanager'; latencyMs: number }) => void;
  onError?: (error: unknown) => void;
}

export const OUTBOX_CHANNEL = 'parley_outbox';

interface OutboxRow {
  id: string;
  kind: 'webhook' | 'alertmanager';
  rule_id: string;
  url: string;
  payload: unknown;
  attempts: number;
  created_at: Date;
  traceparent: string | null;
}
const MAX_BACKOFF_MS = 3_600_000;

/**
 * Delivers webhook outbox rows at least once. A row is claimed by pushing its next attempt
 * past a lease in a short transaction (no transaction is held during the HTTP call); if the
 * process dies mid-call the lease runs out and the row is sent again with the same
 * Idempotency-Key. Failures back off exponentially; after maxAttempts the row is dead.
 */
export class WebhookDeliverer {
  private readonly loop: NotifiedLoop;

  constructor(
    private readonly connection: DatabaseConnection,
    private readonly options: DelivererOptions,
  ) {
    this.loop = new NotifiedLoop(connection, OUTBOX_CHANNEL, {
      step: async () => (await this.deliverDue()) > 0,
      idleMs: () => this.untilNextDue(),
      ...(options.onError ? { onError: options.onError } : {}),
      retryMs: options.pollIntervalMs ?? 1000,
    });
  }

  start(): Promise<void> {
    return this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Claims and sends the rows that are due; returns how many it tried. */
  async deliverDue(limit = 10): Promise<number> {
    const { rows } = await sql<OutboxRow>`
      update webhook_outbox set attempts = attempts + 1, next_attempt_at = now() + ${`${this.options.leaseMs} milliseconds`}::interval
      where id in (
        select id from webhook_outbox
        where status = 'pending' and next_attempt_at <= now()
        order by next_attempt_at
        limit ${limit}
        for update skip locked)
      returning id, kind, rule_id, url, payload, attempts, created_at, traceparent`.execute(this.connection.db);
    // Each delivery continues the trace of the append that fired it (a CLIENT span; the post carries traceparent).
    for (const row of rows) {
      await inSpan(`POST ${row.kind}`, { parent: contextOf(row.traceparent), kind: SpanKind.CLIENT, attributes: { 'parley.delivery': row.id, 'parley.delivery.kind': row.kind, 'parley.delivery.attempt': row.attempts } }, () => this.send(row));
    }
    return rows.length;
  }

  private async send(row: OutboxRow): Promise<void> {
    const { db } = this.connection;
    if (!hostAllowed(row.url, this.options.allow)) {
      // This process's own configuration says no; another instance's may say yes. Leave the
      // row pending (it comes back after the lease) rather than declare it dead for everyone.
      await this.release(row, 'target not allowed by this instance\'s PARLEY_WEBHOOK_ALLOW; left for an instance that allows it');
      return;
    }
    // Alertmanager takes no signature; the webhook secret signs webhook notifications only.
    const secret = row.kind === 'alertmanager' ? undefined : await db.selectFrom('webhook_secrets').select('secret').where('rule_id', '=', row.rule_id).executeTakeFirst();
    const body = JSON.stringify(row.payload);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'parley-webhooks',
      'idempotency-key': row.id,
      'x-parley-delivery-attempt': String(row.attempts),
      ...traceHeaders(),
    };
    if (secret) Object.assign(headers, signatures(row.id, secret.secret, body));
    try {
      const response = await outboundRequest(row.url, { method: 'POST', headers, body, timeoutMs: this.options.timeoutMs, maxBytes: 64 * 1024, allow: this.options.allow });
      if (response.status >= 200 && response.status < 300) {
        await sql`update webhook_outbox set status = 'delivered', delivered_at = now(), last_error = null where id = ${row.id}`.execute(db);
        this.options.onOutcome?.('delivered', { kind: row.kind, latencyMs: Date.now() - new Date(row.created_at).getTime() });
        return;
      }
      await this.fail(row, `HTTP ${response.status}`);
    } catch (error) {
      await this.fail(row, (error as Error).message);
    }
  }

  private async fail(row: { id: string; attempts: number }, reason: string, final = false): Promise<void> {
    const dead = final || row.attempts >= this.options.maxAttempts;
    const delay = Math.min(this.options.backoffMs * 2 ** (row.attempts - 1), MAX_BACKOFF_MS);
    // Times come from the database clock, the one `next_attempt_at <= now()` is read against.
    await sql`
      update webhook_outbox
      set status = ${dead ? 'dead' : 'pending'}, last_error = ${reason.slice(0, 500)},
          next_attempt_at = now() + ${`${delay} milliseconds`}::interval
      where id = ${row.id}`.execute(this.connection.db);
    this.options.onOutcome?.(dead ? 'dead' : 'failed');
  }

  /** Gives a claimed row back untouched but for the note: the attempt did not happen. */
  private async release(row: { id: string }, reason: string): Promise<void> {
    await sql`update webhook_outbox set attempts = attempts - 1, last_error = ${reason} where id = ${row.id}`.execute(this.connection.db);
  }

  /** Sleep until the next retry is due, but no longer than the poll interval. */
  private async untilNextDue(): Promise<number> {
    const { pollIntervalMs = 1000 } = this.options;
    const next = await this.connection.db
      .selectFrom('webhook_outbox')
      .select((eb) => eb.fn.min('next_attempt_at').as('next'))
      .where('status', '=', 'pending')
      .executeTakeFirst();
    const wait = next?.next ? Math.max(0, new Date(next.next).getTime() - Date.now()) : pollIntervalMs;
    return Math.min(Math.max(wait, 5), pollIntervalMs);
  }
}

/**
 * A delivery's signatures. Standard Webhooks (standardwebhooks.com): `webhook-id` (the delivery's
 * id, the same on every retry), `webhook-timestamp` (seconds) and `webhook-signature`
 * (`v1,` + base64 HMAC-SHA256 of `id.timestamp.body`, keyed with the secret's UTF-8 bytes), so a
 * receiver's ready-made verifier refuses a replayed delivery by its timestamp. The secret for
 * such a verifier is `whsec_` + base64 of the secret. `x-parley-signature` (HMAC of the body
 * alone, no timestamp) is still sent for one release, for receivers written against it.
 */
export function signatures(deliveryId: string, secret: string, body: string, now = Date.now()): Record<string, string> {
  const timestamp = String(Math.floor(now / 1000));
  const signed = createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${deliveryId}.${timestamp}.${body}`).digest('base64');
  return {
    'webhook-id': deliveryId,
    'webhook-timestamp': timestamp,
    'webhook-signature': `v1,${signed}`,
    'x-parley-signature': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
  };
}
