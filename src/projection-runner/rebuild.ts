import { sql, type Kysely } from 'kysely';
import { unnestInsert, type BulkInsert } from '../database/bulk-insert';
import type { DatabaseConnection } from '../database/connection';
import { LOCKS } from '../database/session-lock';
import type { Database } from '../database/schema';
import type { EventStore } from '../event-store/event-store';
import { RebuildRunning } from './errors';
import { lockProjections, writeCheckpoint } from './checkpoints';
import { projectOrSkip } from './project-or-skip';
import type { Projection } from './projection';
import type { StoredEvent } from '../event-store/types';

const SHADOW = 'parley_rebuild';

export interface RebuildProgress {
  position: number;
  head: number;
  events: number;
}

export interface RebuildOptions {
  batchSize?: number;
  onProgress?: (progress: RebuildProgress) => void;
}

/**
 * Rebuilds every projection from the log without stopping reads: fills shadow tables in a
 * schema of their own, batch by batch (memory stays flat however long the log), then, under
 * the projection lock, catches up the last events and swaps the shadow tables in, in one
 * transaction. Readers see the old tables until the swap commits, the new ones after.
 */
export async function rebuildProjections(
  connection: DatabaseConnection,
  store: EventStore,
  projections: readonly Projection[],
  options: RebuildOptions = {},
): Promise<RebuildProgress> {
  // Two rebuilds would drop each other's shadow schema: the second is refused, not run.
  const lock = await connection.tryLock(LOCKS.rebuild);
  if (!lock) throw new RebuildRunning();
  try {
    return await rebuildUnderLock(connection, store, projections, options);
  } finally {
    await lock.release();
  }
}

async function rebuildUnderLock(
  connection: DatabaseConnection,
  store: EventStore,
  projections: readonly Projection[],
  { batchSize = 5000, onProgress }: RebuildOptions,
): Promise<RebuildProgress> {
  const { db } = connection;
  // projected_ahead starts empty in the shadow: the rebuild projects everything in order.
  const tables = ['projection_checkpoints', 'projected_ahead', ...projections.flatMap((p) => p.tables)];
  const deferred = await createShadowTables(db, tables);

  const progress: RebuildProgress = { position: 0, head: await store.headPosition(), events: 0 };
  const project = async (trx: Kysely<Database>, events: StoredEvent[], bulk?: BulkInsert): Promise<void> => {
    const shadow = trx.withSchema(SHADOW);
    await projectOrSkip(shadow, trx, projections, events, bulk ?? unnestInsert(shadow));
    progress.position = events[events.length - 1]!.globalPosition;
    progress.events += events.length;
    progress.head = Math.max(progress.head, progress.position);
    await writeCheckpoint(shadow, progress.position);
    onProgress?.({ ...progress });
  };
  // Everything inside a transaction goes through it: the embedded database has one connection.
  const step = async (trx: Kysely<Database>): Promise<boolean> => {
    const events = await store.over(trx).readAll({ after: progress.position, limit: batchSize });
    if (events.length === 0) return false;
    await project(trx, events);
    return true;
  };

  if (connection.bulkSession) await fillWithCopy(connection.bulkSession, (after) => store.readAll({ after, limit: batchSize }), project);
  else while (await db.transaction().execute((trx) => step(trx)));
  await buildIndexes(db, deferred);

  await db.transaction().execute(async (trx) => {
    await lockProjections(trx);
    while (await step(trx));
    for (const table of tables) {
      await sql`drop table ${sql.id('public', table)}`.execute(trx);
      await sql`alter table ${sql.id(SHADOW, table)} set schema public`.execute(trx);
    }
    await sql`drop schema ${sql.id(SHADOW)}`.execute(trx);
  });
  return progress;
}

/**
 * The shadow tables, with their keys only (projections look rows up and upsert by them): the
 * other indexes, returned, are built once after the fill instead of row by row.
 */
async function createShadowTables(db: Kysely<Database>, tables: string[]): Promise<string[]> {
  await sql`drop schema if exists ${sql.id(SHADOW)} cascade`.execute(db);
  await sql`create schema ${sql.id(SHADOW)}`.execute(db);
  const deferred: string[] = [];
  for (const table of tables) {
    await sql`create table ${sql.id(SHADOW, table)} (like ${sql.id('public', table)} including all excluding indexes)`.execute(db);
    for (const key of await keysOf(db, table)) {
      await sql`alter table ${sql.id(SHADOW, table)} add constraint ${sql.id(key.name)} ${sql.raw(key.definition)}`.execute(db);
    }
    deferred.push(...(await secondaryIndexesOf(db, table)));
  }
  await writeCheckpoint(db.withSchema(SHADOW), 0);
  return deferred;
}

/**
 * PostgreSQL: each page is written with COPY on a session of its own while the next one is
 * read on another connection (the log is append-only: a page read ahead stays true).
 */
async function fillWithCopy(
  bulkSession: NonNullable<DatabaseConnection['bulkSession']>,
  read: (after: number) => Promise<StoredEvent[]>,
  project: (trx: Kysely<Database>, events: StoredEvent[], bulk: BulkInsert) => Promise<void>,
): Promise<void> {
  await bulkSession(async (session) => {
    // A batch's commit need not wait for its WAL to reach the disk: a crash loses the shadow
    // schema whatever was flushed, and the next rebuild starts clean. The swap, on another
    // connection, is committed durably.
    await sql`set synchronous_commit = off`.execute(session.db);
    let next = read(0);
    for (;;) {
      const events = await next;
      if (events.length === 0) return;
      next = read(events[events.length - 1]!.globalPosition);
      next.catch(() => undefined); // awaited on the next turn; a failed write must not leave it unhandled
      await session.db.transaction().execute((trx) => project(trx, events, session.copyInto(SHADOW)));
    }
  });
}

/**
 * Two at a time: a build is one server process sorting one table, and Node is idle meanwhile
 * (the embedded database has one connection: there they run one after the other).
 */
async function buildIndexes(db: Kysely<Database>, statements: string[]): Promise<void> {
  const lanes = [0, 1].map(async (lane) => {
    for (let i = lane; i < statements.length; i += 2) await sql.raw(statements[i]!).execute(db);
  });
  await Promise.all(lanes);
}

/**
 * A table's primary key and unique constraints: their names and `primary key (…)` clauses.
 * Names are kept (they are unique per schema, and the live ones go with the old tables), so
 * after the swap the tables carry the names their migrations gave and later migrations use.
 */
async function keysOf(db: Kysely<Database>, table: string): Promise<{ name: string; definition: string }[]> {
  const { rows } = await sql<{ name: string; definition: string }>`
    select c.conname as name, pg_get_constraintdef(c.oid) as definition from pg_constraint c
    where c.conrelid = ${`public.${table}`}::regclass and c.contype in ('p', 'u')`.execute(db);
  return rows;
}

/** Its other indexes, rewritten to be built on the shadow table, under their own names. */
async function secondaryIndexesOf(db: Kysely<Database>, table: string): Promise<string[]> {
  const { rows } = await sql<{ def: string }>`
    select pg_get_indexdef(i.indexrelid) as def from pg_index i
    where i.indrelid = ${`public.${table}`}::regclass
      and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`.execute(db);
  return rows.map((r) => r.def.replace(/^(CREATE (?:UNIQUE )?INDEX \S+ ON (?:ONLY )?)public\./, `$1${SHADOW}.`));
}
