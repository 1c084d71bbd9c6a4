/**
 * What synchronous replication costs an append (issue 26): `npm run bench:ha` (as root; the
 * Patroni nodes run as the postgres user). Starts the shipped Patroni setup on loopback (three
 * PostgreSQL nodes, etcd, HAProxy: tests/support/patroni.ts), then appends through HAProxy's
 * writer port with Patroni's synchronous_mode on and off, alternating (A B A B), and reports
 * each mode's median and the ratio. Results in bench/results/synchronous.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../src/config/paths';
import { connectPostgres } from '../src/database/connection';
import { migrateToLatest } from '../src/database/migrate';
import { EventRegistry } from '../src/event-store/event-registry';
import { EventStore } from '../src/event-store/event-store';
import { negotiationEventDefinitions } from '../src/negotiation/domain/events';
import { PatroniCluster } from '../tests/support/patroni';
import { machine } from './support';

const ROUNDS = 2;
const SEQUENTIAL = 400;
const CONCURRENT = { writers: 16, perWriter: 100 };

const registry = new EventRegistry(negotiationEventDefinitions);
const event = (i: number) => ({ type: 'PositionStated', data: { party: 'us', issue: 'crimea', value: i % 101 }, occurredAt: new Date(Date.UTC(2025, 3, 17) + i * 1000) });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

interface Measured {
  mode: 'synchronous' | 'asynchronous';
  /** One writer, one event per append, one after the other. */
  p50Ms: number;
  p99Ms: number;
  sequentialPerSecond: number;
  /** 16 writers, one event per append, on streams of their own. */
  concurrentPerSecond: number;
}

async function measure(store: EventStore, mode: Measured['mode'], round: number): Promise<Measured> {
  const latencies: number[] = [];
  const started = performance.now();
  for (let i = 0; i < SEQUENTIAL; i++) {
    const t = performance.now();
    await store.appendToStream(`seq-${mode}-${round}`, [event(i)], { expectedVersion: i === 0 ? 'no_stream' : i });
    latencies.push(performance.now() - t);
  }
  const sequentialPerSecond = SEQUENTIAL / ((performance.now() - started) / 1000);
  const concurrentStart = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENT.writers }, async (_, w) => {
      for (let i = 0; i < CONCURRENT.perWriter; i++) await store.appendToStream(`par-${mode}-${round}-${w}`, [event(i)], { expectedVersion: i === 0 ? 'no_stream' : i });
    }),
  );
  const concurrentPerSecond = (CONCURRENT.writers * CONCURRENT.perWriter) / ((performance.now() - concurrentStart) / 1000);
  return { mode, p50Ms: quantile(latencies, 0.5), p99Ms: quantile(latencies, 0.99), sequentialPerSecond, concurrentPerSecond };
}

async function main() {
  const log = (s: string) => process.stderr.write(`… ${s}\n`);
  log('starting etcd, three Patroni nodes and HAProxy');
  const cluster = await PatroniCluster.start(3);
  const connection = connectPostgres(cluster.writerUrl, CONCURRENT.writers + 2, { primary: true });
  try {
    await migrateToLatest(connection.db);
    const about = await machine(cluster.writerUrl);
    const store = new EventStore(connection.db, registry);
    const runs: Measured[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const mode of ['synchronous', 'asynchronous'] as const) {
        await cluster.setSynchronous(mode === 'synchronous');
        log(`round ${round + 1}/${ROUNDS}: ${mode}`);
        runs.push(await measure(store, mode, round));
      }
    }
    const summary = (mode: Measured['mode']) => {
      const of = runs.filter((r) => r.mode === mode);
      return { p50Ms: median(of.map((r) => r.p50Ms)), p99Ms: median(of.map((r) => r.p99Ms)), sequentialPerSecond: median(of.map((r) => r.sequentialPerSecond)), concurrentPerSecond: median(of.map((r) => r.concurrentPerSecond)) };
    };
    const sync = summary('synchronous');
    const async_ = summary('asynchronous');
    const ratios = {
      'synchronous.p50OverAsync': sync.p50Ms / async_.p50Ms,
      'synchronous.sequentialOverAsync': sync.sequentialPerSecond / async_.sequentialPerSecond,
      'synchronous.concurrentOverAsync': sync.concurrentPerSecond / async_.concurrentPerSecond,
    };
    const f = (n: number, d = 0) => n.toFixed(d);
    process.stdout.write(
      [
        `parley bench:ha on ${about.cpu} (${about.cores} cores), Node ${about.node}, PostgreSQL ${about.postgres}; 3 Patroni nodes on loopback, through HAProxy`,
        'mode          1×1 p50 ms  p99 ms  1×1 ev/s  16×1 ev/s',
        ...(['synchronous', 'asynchronous'] as const).map((mode) => {
          const s = summary(mode);
          return `${mode.padEnd(13)} ${f(s.p50Ms, 2).padStart(10)} ${f(s.p99Ms, 2).padStart(7)} ${f(s.sequentialPerSecond).padStart(9)} ${f(s.concurrentPerSecond).padStart(10)}`;
        }),
        `synchronous ÷ asynchronous: p50 latency ${f(ratios['synchronous.p50OverAsync'], 2)}×, 1×1 throughput ${f(ratios['synchronous.sequentialOverAsync'], 2)}×, 16×1 throughput ${f(ratios['synchronous.concurrentOverAsync'], 2)}×`,
        '',
      ].join('\n'),
    );
    const dir = join(projectRoot(), 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'synchronous.json'), JSON.stringify({ machine: about, ratios, synchronous: sync, asynchronous: async_, runs }, null, 2));
  } finally {
    await connection.close();
    cluster.destroy();
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
