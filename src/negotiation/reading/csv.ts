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
