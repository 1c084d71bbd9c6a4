import { Kysely, PostgresDialect, sql, type PostgresPool, type PostgresPoolClient } from 'kysely';
import { Client, type Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { quoteIdentifier } from './identifiers';
import type { Database } from './schema';

/** Column name → PostgreSQL type, in the order rows are written. */
export type ColumnTypes = Record<string, string>;

/**
 * Writes many rows into one table of the schema it was made for. Projections call it for
 * their large tables; the caller decides how (one INSERT over column arrays, or COPY).
 */
export type BulkInsert = (table: string, columns: ColumnTypes, rows: Record<string, unknown>[]) => Promise<void>;

/**
 * Many rows in one statement with one parameter per column (`insert … select from unnest`),
 * not one per value: 20 arrays instead of 100,000 values. Works on every database Parley
 * runs on, inside whatever transaction `db` is.
 */
export function unnestInsert(db: Kysely<Database>): BulkInsert {
  return async (table, columns, rows) => {
    if (rows.length === 0) return;
    const names = Object.keys(columns);
    const instants = new Map<number, string>();
    const arrays = names.map((c) => sql`${rows.map((r) => (r[c] instanceof Date ? instant(instants, r[c] as Date) : (r[c] ?? null)))}::${sql.raw(columns[c]!)}[]`);
    await db
      .insertInto(table as never)
      .columns(names as never)
      .expression(sql`select * from unnest(${sql.join(arrays)})` as never)
      .execute();
  };
}

/**
 * A connection of our own for bulk writes (PostgreSQL only): `db` is kysely over it, and
 * `copy` streams rows with COPY FROM STDIN on the same session, so they belong to whatever
 * transaction `db` has open there (its savepoints undo them too). COPY skips the parsing of
 * parameters and of the statement that an INSERT per batch pays.
 */
export interface BulkSession {
  readonly db: Kysely<Database>;
  copyInto(schema: string): BulkInsert;
}

/** On a client of its own, beside `pool` (same server and settings), so it never waits for a pool slot. */
export async function withBulkSession<T>(pool: Pool, work: (session: BulkSession) => Promise<T>): Promise<T> {
  const client = new Client(pool.options);
  client.on('error', () => undefined); // a lost server fails the statement in flight, not the process
  await client.connect();
  try {
    // One client for every query: its release is a no-op, the real release is below.
    const shared: PostgresPoolClient = { query: client.query.bind(client) as PostgresPoolClient['query'], release: () => undefined };
    const pool: PostgresPool = { connect: async () => shared, end: async () => undefined };
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const copyInto = (schema: string): BulkInsert => async (table, columns, rows) => {
      if (rows.length === 0) return;
      const names = Object.keys(columns);
      const stream = client.query(copyFrom(`copy ${quoteIdentifier(schema)}.${quoteIdentifier(table)} (${names.map(quoteIdentifier).join(', ')}) from stdin`));
      await new Promise<void>((resolve, reject) => {
        stream.on('finish', resolve);
        stream.on('error', reject);
        stream.end(copyRows(names, rows));
      });
    };
    return await work({ db, copyInto });
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Rows in COPY's text format: tab-separated, `\N` for null, backslash escapes. */
export function copyRows(columns: string[], rows: Record<string, unknown>[]): string {
  // Rows of one batch share their instants (an event's occurredAt and recordedAt are on its
  // version and on each of its facts; appends share recordedAt), and formatting a date was a
  // tenth of a rebuild's CPU: each instant is formatted once per call.
  const instants = new Map<number, string>();
  let text = '';
  for (const row of rows) {
    for (let i = 0; i < columns.length; i++) {
      if (i > 0) text += '\t';
      text += copyValue(row[columns[i]!], instants);
    }
    text += '\n';
  }
  return text;
}

// Tested first: most values need no escape, and a test is 3× cheaper than a replace that
// finds nothing (0.03 against 0.09–0.11 µs a value, measured on a uuid or a short text).
const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function instant(formatted: Map<number, string>, date: Date): string {
  const time = date.getTime();
  let text = formatted.get(time);
  if (text === undefined) formatted.set(time, (text = pgTimestamp(date)));
  return text;
}

function copyValue(value: unknown, instants: Map<number, string>): string {
  switch (typeof value) {
    case 'number':
      return String(value);
    case 'boolean':
      return value ? 't' : 'f';
    case 'string':
      return SPECIAL.test(value) ? value.replace(SPECIALS, (c) => ESCAPES[c]!) : value;
    default:
      if (value === null || value === undefined) return '\\N';
      if (value instanceof Date) return instant(instants, value);
      return copyValue(JSON.stringify(value), instants);
  }
}

/** 0001-01-01T00:00:00Z: where the common era begins. */
const COMMON_ERA = -62_135_596_800_000;

/**
 * A Date as PostgreSQL timestamptz text. ISO 8601 for the common era; years before it (which
 * history written past the API can hold) as PostgreSQL's own `… BC`, as pg itself writes them.
 */
export function pgTimestamp(date: Date): string {
  if (date.getTime() >= COMMON_ERA) return date.toISOString();
  const era = new Date(date.getTime());
  era.setUTCFullYear(1 - date.getUTCFullYear());
  return `${era.toISOString().replace('T', ' ').replace('Z', '+00')} BC`;
}
