import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../database/schema';
import { EventStoreError } from './errors';

/** One line of an export: every field of a stored event, recordedAt and positions included. */
export const exportedEventSchema = z
  .object({
    globalPosition: z.number().int().positive(),
    id: z.uuid(),
    streamId: z.string().min(1),
    streamVersion: z.number().int().positive(),
    type: z.string().min(1),
    schemaVersion: z.number().int().positive(),
    data: z.unknown(),
    metadata: z.record(z.string(), z.unknown()),
    occurredAt: z.iso.datetime({ offset: true }),
    recordedAt: z.iso.datetime({ offset: true }),
    /** Whether it ends its append. Exports written before Parley recorded it lack it: see restoreLog. */
    endsAppend: z.boolean().optional(),
  })
  .strict();

export type ExportedEvent = z.infer<typeof exportedEventSchema>;

export class RestoreRefused extends EventStoreError {
  readonly code = 'EVENT_STORE.RESTORE_REFUSED';
}

/**
 * Every export ends with this line: how many events came before it and the SHA-256 of every
 * byte before it. A file cut short (a dropped connection, a full disk) has no valid trailer,
 * and restore refuses it rather than load a prefix of the log as if it were the whole.
 */
export const exportTrailerSchema = z
  .object({ trailer: z.object({ events: z.number().int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict() })
  .strict();

/** The log as NDJSON lines, in global order, as stored (no upcasting: a backup is raw), then the trailer. */
export async function* exportLog(db: Kysely<Database>, pageSize = 5000): AsyncGenerator<string> {
  const hash = createHash('sha256');
  let after = 0;
  let events = 0;
  for (;;) {
    const rows = await db
      .selectFrom('events')
      .selectAll()
      .where('global_position', '>', String(after))
      .orderBy('global_position')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      const line: ExportedEvent = {
        globalPosition: Number(row.global_position),
        id: row.id,
        streamId: row.stream_id,
        streamVersion: row.stream_version,
        type: row.type,
        schemaVersion: row.schema_version,
        data: row.data,
        metadata: row.metadata,
        occurredAt: row.occurred_at.toISOString(),
        recordedAt: row.recorded_at.toISOString(),
        endsAppend: row.ends_append,
      };
      const text = `${JSON.stringify(line)}\n`;
      hash.update(text);
      events++;
      yield text;
    }
    after = Number(rows[rows.length - 1]!.global_position);
  }
  yield `${JSON.stringify({ trailer: { events, sha256: hash.digest('hex') } })}\n`;
}

/** Splits off and checks the trailer: the text of the events, or the reason the file is refused. */
function checkTrailer(text: string): { body: string; problem?: string } {
  const trimmed = text.replace(/\s+$/, '');
  const start = trimmed.lastIndexOf('\n') + 1;
  const body = trimmed.slice(0, start);
  let trailer: z.infer<typeof exportTrailerSchema>['trailer'];
  try {
    trailer = exportTrailerSchema.parse(JSON.parse(trimmed.slice(start))).trailer;
  } catch {
    return { body: trimmed, problem: 'The file does not end with an export trailer: it is cut short, or not written by parley export' };
  }
  const sha256 = createHash('sha256').update(body).digest('hex');
  const events = body.split('\n').filter((line) => line.trim() !== '').length;
  if (sha256 !== trailer.sha256 || events !== trailer.events) {
    return { body, problem: `The trailer says ${trailer.events} events with SHA-256 ${trailer.sha256}, the file holds ${events} with ${sha256}: it was changed or damaged` };
  }
  return { body };
}

/**
 * Loads an export into an empty log, keeping every position and recordedAt, in one
 * transaction. Refused on a log that is not empty; every line is checked first (shape,
 * positions 1…n without gaps, stream versions contiguous) so a bad file writes nothing.
 */
export async function restoreLog(
  db: Kysely<Database>,
  text: string,
  inTransaction: (trx: Transaction<Database>, head: number) => Promise<void> = async () => undefined,
): Promise<RestoreResult> {
  const events = parseExport(text);
  await db.transaction().execute(async (trx) => {
    const head = await trx.selectFrom('event_store_head').select('position').forUpdate().executeTakeFirstOrThrow();
    if (Number(head.position) > 0) throw new RestoreRefused('Restore needs an empty database: this one already holds events');
    for (let i = 0; i < events.length; i += 1000) {
      await trx
        .insertInto('events')
        .values(
          events.slice(i, i + 1000).map((e) => ({
            global_position: e.globalPosition,
            id: e.id,
            stream_id: e.streamId,
            stream_version: e.streamVersion,
            type: e.type,
            schema_version: e.schemaVersion,
            data: JSON.stringify(e.data),
            metadata: JSON.stringify(e.metadata),
            occurred_at: e.occurredAt,
            recorded_at: e.recordedAt,
            ends_append: e.endsAppend ?? endsAppendByTime(events, e.globalPosition),
          })),
        )
        .execute();
    }
    await trx.updateTable('event_store_head').set({ position: String(events.length) }).execute();
    await inTransaction(trx, events.length);
    await sql`select pg_notify('parley_events', ${String(events.length)})`.execute(trx);
  });
  const hooks = webhooksToSetAgain(events);
  return {
    events: events.length,
    warnings:
      hooks.length === 0
        ? []
        : [
            `${hooks.length} alert rule(s) post to webhooks whose full URL and secret are not in an export: ` +
              `until each is set again (PUT /negotiations/{nid}/alert-rules/{rule} with "webhook": {"url", "secret"}), ` +
              `their deliveries are dead letters. Rules: ${hooks.join(', ')}`,
          ],
  };
}

/** Every line of an export, checked (shape, positions 1…n, contiguous stream versions); refused whole on any problem. */
function parseExport(text: string): ExportedEvent[] {
  const events: ExportedEvent[] = [];
  const { body, problem } = checkTrailer(text);
  const problems: string[] = problem ? [problem] : [];
  const versions = new Map<string, number>();
  body.split(/\r?\n/).forEach((raw, index) => {
    if (raw.trim() === '') return;
    const line = index + 1;
    let parsed: ExportedEvent;
    try {
      parsed = exportedEventSchema.parse(JSON.parse(raw));
    } catch (error) {
      problems.push(`line ${line}: ${error instanceof z.ZodError ? error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : (error as Error).message}`);
      return;
    }
    if (parsed.globalPosition !== events.length + 1) problems.push(`line ${line}: position ${parsed.globalPosition}, expected ${events.length + 1}`);
    const expected = (versions.get(parsed.streamId) ?? 0) + 1;
    if (parsed.streamVersion !== expected) problems.push(`line ${line}: ${parsed.streamId} version ${parsed.streamVersion}, expected ${expected}`);
    versions.set(parsed.streamId, parsed.streamVersion);
    events.push(parsed);
  });
  if (problems.length > 0) throw new RestoreRefused(`The export is not valid:\n${problems.slice(0, 20).join('\n')}`);
  return events;
}

export interface RestoreResult {
  events: number;
  /** What the restore could not bring back, for the operator to act on. */
  warnings: string[];
}

/** Rules whose latest version posts to a webhook: their URLs and secrets live outside the log. */
function webhooksToSetAgain(events: ExportedEvent[]): string[] {
  const latest = new Map<string, boolean>();
  for (const event of events) {
    const data = event.data as { rule?: string; webhookUrl?: string | null };
    if (event.type === 'AlertRuleRemoved' && data.rule) latest.delete(data.rule);
    else if ((event.type === 'AlertRuleCreated' || event.type === 'AlertRuleChanged') && data.rule) latest.set(data.rule, Boolean(data.webhookUrl));
  }
  return [...latest].filter(([, hooked]) => hooked).map(([rule]) => rule);
}

/**
 * Where an append ended, for an export written before Parley recorded it: as migration
 * 20261204_0900 inferred it for old rows, the run of consecutive events of one stream recorded
 * at one instant. (`events` are positions 1…n, checked by parseExport.)
 */
function endsAppendByTime(events: { streamId: string; recordedAt: string }[], position: number): boolean {
  const event = events[position - 1]!;
  const next = events[position];
  return !next || next.streamId !== event.streamId || Date.parse(next.recordedAt) !== Date.parse(event.recordedAt);
}
