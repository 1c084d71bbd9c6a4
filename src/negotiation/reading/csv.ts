import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { paced } from '../../shared/paced';

/**
 * A text cell a spreadsheet would run as a formula (`=HYPERLINK(…)`, `+cmd|…`, `@SUM(…)`, `-2+3`)
 * or strip leading whitespace from before doing so: OWASP's CSV injection advice, a leading `'`,
 * which spreadsheets show as text. Numbers Parley computes are written as numbers and never
 * touched; text from clients and news feeds (publishers, titles, summaries) is.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralizeFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Records as CSV (RFC 4180, a header row, empty cells for nulls), produced as it is read. */
export function csvStream(records: Iterable<Record<string, unknown>>, columns: readonly string[]): Readable {
  return Readable.from(paced(records)).pipe(stringify({ header: true, columns: [...columns], cast: { string: neutralizeFormula } }));
}

/**
 * Records as a Data Package's CSV: like csvStream, but a missing value (null) is written as
 * `missing` (the tables' declared missingValues) and booleans as `true`/`false` (Table Schema's
 * defaults; csv-stringify would write 1 and an empty cell).
 */
export function packageCsvStream(records: Iterable<Record<string, unknown>>, columns: readonly string[], missing: string): Readable {
  function* filled(): Generator<Record<string, unknown>> {
    for (const record of records) {
      const row: Record<string, unknown> = {};
      for (const column of columns) row[column] = record[column] ?? missing;
      yield row;
    }
  }
  return Readable.from(paced(filled())).pipe(
    stringify({ header: true, columns: [...columns], cast: { string: neutralizeFormula, boolean: (value) => (value ? 'true' : 'false') } }),
  );
}
