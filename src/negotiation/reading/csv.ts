import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';

/** Records as CSV (RFC 4180, a header row, empty cells for nulls), produced as it is read. */
export function csvStream(records: Iterable<Record<string, unknown>>, columns: readonly string[]): Readable {
  return Readable.from(records).pipe(stringify({ header: true, columns: [...columns] }));
}
