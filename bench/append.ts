import { createRequire } from 'node:module';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { projectRoot } from '../src/config/paths';
import { EventRegistry } from '../src/event-store/event-registry';
import { EventStore } from '../src/event-store/event-store';
import { negotiationEventDefinitions } from '../src/negotiation/domain/events';
import { freshDatabase } from './support';

export interface AppendResult {
  writers: number;
  batch: number;
  parley: number;
  limit: number;
  copy: number | null;
  emmett: number | null;
}

const registry = new EventRegistry(negotiationEventDefinitions);
const event = (i: number) => ({
  type: 'PositionStated',
  data: { party: 'us', issue: 'crimea', value: i % 101, salience: 0.5, summary: 'benchmark position' },
  occurredAt: new Date(Date.UTC(2025, 3, 17) + i * 1000),
});

/** Runs `writers` concurrent loops, each appending `perWriter` events in batches; events/s. */
async function throughput(writers: number, perWriter: number, batch: number, append: (w: number, events: ReturnType<typeof event>[], version: number) => Promise<void>) {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let done = 0; done < perWriter; done += batch) {
        await append(w, Array.from({ length: batch }, (_, i) => event(done + i)), done);
      }
    }),
  );
  return (writers * perWriter) / ((performance.now() - started) / 1000);
}

/** Emmett lives in bench/node_modules: its peer dependencies clash with the app's. */
function loadEmmett(): { getPostgreSQLEventStore: (url: string, options: unknown) => any; Pool: typeof Pool } | null {
  try {
    const load = createRequire(join(projectRoot(), 'bench', 'package.json'));
    return { ...load('@event-driven-io/emmett-postgresql'), Pool: load('pg').Pool };
  } catch {
    return null;
  }
}

export async function appendScenario(quick: boolean, repetitions: number): Promise<AppendResult[]> {
  const results: AppendResult[] = [];
  const emmettModule = loadEmmett();
  for (const writers of [1, 8, 32]) {
    for (const batch of writers === 32 ? [1] : [1, 100]) {
      const total = (batch === 1 ? 4000 : 40_000) / (quick ? 20 : 1);
      const perWriter = Math.max(batch, Math.floor(total / writers / batch) * batch);
      const runs: Omit<AppendResult, 'writers' | 'batch'>[] = [];
      for (let r = 0; r < repetitions + 1; r++) {
        const db = await freshDatabase('append', writers + 4);
        try {
          const store = new EventStore(db.connection.db, registry);
          const pool = new Pool({ connectionString: db.url, max: writers + 2 });
          pool.on('error', () => undefined);
          await pool.query(`create table plain (global_position bigserial primary key, id uuid not null, stream_id text not null,
            stream_version int not null, type text not null, data jsonb not null, occurred_at timestamptz not null, recorded_at timestamptz not null default now())`);
          const parley = await throughput(writers, perWriter, batch, (w, events, version) =>
            store.appendToStream(`s-${w}`, events, { expectedVersion: version === 0 ? 'no_stream' : version }).then(() => undefined),
          );
          // The limit: the same rows, one INSERT per batch, no lock, no idempotency, no version check.
          const limit = await throughput(writers, perWriter, batch, async (w, events, version) => {
            await pool.query(
              `insert into plain (id, stream_id, stream_version, type, data, occurred_at)
               select * from unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::jsonb[], $6::timestamptz[])`,
              [
                events.map(() => randomUUID()),
                events.map(() => `s-${w}`),
                events.map((_, i) => version + i + 1),
                events.map((e) => e.type),
                events.map((e) => JSON.stringify(e.data)),
                events.map((e) => e.occurredAt),
              ],
            );
          });
          let copy: number | null = null;
          if (batch > 1) {
            copy = await throughput(writers, perWriter, batch, async (w, events, version) => {
              const client = await pool.connect();
              try {
                const stream = client.query(copyFrom('copy plain (id, stream_id, stream_version, type, data, occurred_at) from stdin'));
                const rows = events.map((e, i) => [randomUUID(), `s-${w}`, version + i + 1, e.type, JSON.stringify(e.data).replace(/\\/g, '\\\\'), e.occurredAt.toISOString()].join('\t'));
                await new Promise<void>((resolve, reject) => {
                  stream.on('finish', resolve);
                  stream.on('error', reject);
                  stream.end(`${rows.join('\n')}\n`);
                });
              } finally {
                client.release();
              }
            });
          }
          let emmett: number | null = null;
          if (emmettModule) {
            // Emmett on a pool we own (its own pg), so it is closed before the database is dropped.
            const emmettPool = new emmettModule.Pool({ connectionString: db.url, max: writers + 2 });
            emmettPool.on('error', () => undefined);
            const emmettStore = emmettModule.getPostgreSQLEventStore(db.url, { connectionOptions: { pooled: true, pool: emmettPool } });
            emmett = await throughput(writers, perWriter, batch, (w, events, version) =>
              emmettStore.appendToStream(`e-${w}`, events.map((e) => ({ type: e.type, data: e.data })), { expectedStreamVersion: BigInt(version) }),
            );
            await emmettStore.close();
            await emmettPool.end();
          }
          await pool.end();
          if (r > 0) runs.push({ parley, limit, copy, emmett }); // the first run warms up
        } finally {
          await db.drop();
        }
      }
      const med = (pick: (r: (typeof runs)[number]) => number | null) => {
        const values = runs.map(pick).filter((v): v is number => v !== null).sort((a, b) => a - b);
        return values.length ? values[Math.floor(values.length / 2)]! : null;
      };
      results.push({ writers, batch, parley: med((r) => r.parley)!, limit: med((r) => r.limit)!, copy: med((r) => r.copy), emmett: med((r) => r.emmett) });
    }
  }
  return results;
}
