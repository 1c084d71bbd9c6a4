import { types } from 'pg';

// Imported for its effect, once, by connection.ts: pg's type parsers are global to the process.
// Timestamps as Date, parsed by pg's own parser (postgres-date), which reads every form
// PostgreSQL writes, `0001-01-01 00:00:00+00 BC` included: `new Date(text)` cannot, and one
// such row would make every reader throw. `infinity` becomes the largest Date. int8 stays a
// string (positions can pass 2^53 in theory) and is converted where it is read.
const parseTimestamp = types.getTypeParser(types.builtins.TIMESTAMPTZ) as (value: string) => Date | number;
const LARGEST_DATE_MS = 8.64e15;
types.setTypeParser(types.builtins.TIMESTAMPTZ, (value: string) => {
  const parsed = parseTimestamp(value);
  if (parsed instanceof Date) return parsed;
  return new Date(parsed > 0 ? LARGEST_DATE_MS : -LARGEST_DATE_MS);
});
