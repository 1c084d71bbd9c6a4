import { Readable } from 'node:stream';
import { StreamableFile } from '@nestjs/common';
import { csvStream } from '../negotiation/reading/csv';
import { paced } from '../shared/paced';
import type { Request } from './platform';

/** CSV when `format=csv`, or when the client asks for text/csv and not JSON first. */
export function wantsCsv(request: Request, format: 'json' | 'csv' | undefined): boolean {
  if (format) return format === 'csv';
  const accept = request.headers.accept ?? '';
  return /\btext\/csv\b/.test(accept) && !/\bapplication\/json\b/.test(accept.split('text/csv')[0] ?? '');
}

/**
 * Records as CSV (RFC 4180, a header row, empty cells for nulls), streamed: rows are produced
 * as the client reads, so a long export is never held in memory.
 */
export function csvFile(records: Iterable<Record<string, unknown>>, columns: readonly string[], filename: string): StreamableFile {
  return new StreamableFile(csvStream(records, columns), { type: 'text/csv; charset=utf-8', disposition: `attachment; filename="${filename}"` });
}

/** `{...head, [key]: [rows…]}` as JSON, streamed row by row. */
export function jsonStream(head: Record<string, unknown>, key: string, rows: Iterable<unknown>): StreamableFile {
  async function* chunks(): AsyncGenerator<string> {
    const opening = JSON.stringify({ ...head, [key]: [] });
    yield opening.slice(0, -2);
    let first = true;
    for await (const row of paced(rows)) {
      yield `${first ? '' : ','}${JSON.stringify(row)}`;
      first = false;
    }
    yield ']}';
  }
  return new StreamableFile(Readable.from(chunks()), { type: 'application/json; charset=utf-8' });
}

export const EVENT_COLUMNS = ['globalPosition', 'negotiation', 'streamVersion', 'id', 'type', 'occurredAt', 'datePrecision', 'recordedAt', 'data', 'source', 'codedBy', 'reviewedBy'] as const;

/** Events as CSV rows: `data` and `source` as JSON text in their cells. */
export function* eventRows(events: { data: unknown; source: unknown }[]): Generator<Record<string, unknown>> {
  for (const event of events) yield { ...event, data: JSON.stringify(event.data), source: event.source === null ? null : JSON.stringify(event.source) };
}
