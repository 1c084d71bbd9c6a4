// Times a rebuild alone: `npm run build && node bench/rebuild-only.js [events]` (default
// 200,000). It seeds a throwaway database `rbtest` on BENCH_DATABASE_URL's server with the
// bench's 20 parties × 50 issues, then rebuilds every projection and prints events/s.
// Event ids are random (v4, as clients may send them); IDS=v7 gives them as Parley's store
// does (time-ordered).
const { sql } = require('kysely');
const { connectPostgres } = require('../dist/src/database/connection');
const { migrateToLatest } = require('../dist/src/database/migrate');
const { rebuildProjections } = require('../dist/src/projection-runner/rebuild');
const { EventRegistry } = require('../dist/src/event-store/event-registry');
const { EventStore } = require('../dist/src/event-store/event-store');
const { projections, eventDefinitions } = require('../dist/src/app.module');
const { Client } = require('pg');
const { v7 } = require('uuid');
(async () => {
  const N = Number(process.argv[2] ?? 200000);
  const admin = new Client({ connectionString: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' }); await admin.connect();
  await admin.query('drop database if exists rbtest'); await admin.query('create database rbtest'); await admin.end();
  const c = connectPostgres((process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres').replace(/\/[^/]*$/, '/rbtest'), 4);
  await migrateToLatest(c.db);
  const PARTIES = Array.from({ length: 20 }, (_, i) => `p${i}`), ISSUES = Array.from({ length: 50 }, (_, i) => `i${i}`);
  const header = [{ type: 'NegotiationOpened', data: { title: 'Bench' } }, ...PARTIES.map((party) => ({ type: 'PartyAdded', data: { party, name: party } })), ...ISSUES.map((issue) => ({ type: 'IssueDefined', data: { issue, title: issue } }))];
  const total = header.length + N, START = Date.UTC(2020, 0, 1);
  for (let start = 0; start < total; start += 10000) {
    const size = Math.min(10000, total - start);
    const rows = Array.from({ length: size }, (_, k) => { const n = start + k; const e = n < header.length ? header[n] : { type: 'PositionStated', data: { party: PARTIES[n % 20], issue: ISSUES[(n * 7) % 50], value: n % 101, salience: (n % 5) / 4 } }; return { position: n + 1, type: e.type, data: JSON.stringify(e.data), occurred: new Date(START + n * 60000), recorded: new Date(START + n * 60000 + 3600000) }; });
    await sql`insert into events (global_position, id, stream_id, stream_version, type, data, metadata, occurred_at, recorded_at) select p, coalesce(i, gen_random_uuid()), 'bench', p, t, d, '{}', o, r from unnest(${rows.map((r) => r.position)}::bigint[], ${rows.map(() => (process.env.IDS === 'v7' ? v7() : null))}::uuid[], ${rows.map((r) => r.type)}::text[], ${rows.map((r) => r.data)}::jsonb[], ${rows.map((r) => r.occurred)}::timestamptz[], ${rows.map((r) => r.recorded)}::timestamptz[]) as x(p, i, t, d, o, r)`.execute(c.db);
  }
  await sql`update event_store_head set position = ${total}`.execute(c.db);
  const t0 = Date.now();
  const r = await rebuildProjections(c, new EventStore(c.db, new EventRegistry(eventDefinitions)), projections, { batchSize: Number(process.env.BATCH ?? 5000) });
  const ms = Date.now() - t0;
  console.log(JSON.stringify({ events: r.events, ms, perSecond: Math.round(r.events / (ms / 1000)) }));
  await c.close();
  const drop = new Client({ connectionString: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' });
  await drop.connect();
  await drop.query('drop database rbtest');
  await drop.end();
})().catch((e) => { console.error(e); process.exit(1); });
