import { EventStore } from '../src/event-store/event-store';
import { sql } from 'kysely';
import { EventRegistry } from '../src/event-store/event-registry';
import { negotiationEventDefinitions } from '../src/negotiation/domain/events';
import { pairGap } from '../src/negotiation/analysis/gaps';
import { rebuildProjections } from '../src/projection-runner/rebuild';
import { issuesKnown, stancesAt } from '../src/negotiation/stances/stance.repository';
import { freshDatabase, peakMemory, quantile } from './support';
import { projections } from '../src/app.module';

const registry = new EventRegistry(negotiationEventDefinitions);
const PARTIES = Array.from({ length: 20 }, (_, i) => `p${i}`);
const ISSUES = Array.from({ length: 50 }, (_, i) => `i${i}`);
const START = Date.UTC(2020, 0, 1);

/**
 * A log of `count` position events across 20 parties × 50 issues, written straight into the
 * events table in big batches (setup, not what is measured), recorded over simulated time.
 */
async function seed(db: Awaited<ReturnType<typeof freshDatabase>>, count: number) {
  const header = [
    { type: 'NegotiationOpened', data: { title: 'Bench' } },
    ...PARTIES.map((party) => ({ type: 'PartyAdded', data: { party, name: party, capability: 0.5 } })),
    ...ISSUES.map((issue) => ({ type: 'IssueDefined', data: { issue, title: issue } })),
  ];
  const total = header.length + count;
  for (let start = 0; start < total; start += 10_000) {
    const size = Math.min(10_000, total - start);
    const rows = Array.from({ length: size }, (_, k) => {
      const n = start + k;
      const e = n < header.length ? header[n]! : { type: 'PositionStated', data: { party: PARTIES[n % 20], issue: ISSUES[(n * 7) % 50], value: n % 101, salience: (n % 5) / 4 } };
      return { position: n + 1, type: e.type, data: JSON.stringify(e.data), occurred: new Date(START + n * 60_000), recorded: new Date(START + n * 60_000 + 3_600_000) };
    });
    await sql`
      insert into events (global_position, id, stream_id, stream_version, type, data, metadata, occurred_at, recorded_at)
      select p, gen_random_uuid(), 'bench', p, t, d, '{}', o, r
      from unnest(${rows.map((r) => r.position)}::bigint[], ${rows.map((r) => r.type)}::text[], ${rows.map((r) => r.data)}::jsonb[],
                  ${rows.map((r) => r.occurred)}::timestamptz[], ${rows.map((r) => r.recorded)}::timestamptz[]) as x(p, t, d, o, r)`.execute(db.connection.db);
  }
  await sql`update event_store_head set position = ${total}`.execute(db.connection.db);
  await sql`update alerting_checkpoint set position = ${total}`.execute(db.connection.db);
  return { total, end: START + total * 60_000 };
}

export interface RebuildResult {
  events: number;
  eventsPerSecond: number;
  peakRssMiB: number;
  peakHeapMiB: number;
}

export interface AsOfResult {
  events: number;
  stances: { p50: number; p99: number };
  gaps: { p50: number; p99: number };
}

async function asOfLatencies(db: Awaited<ReturnType<typeof freshDatabase>>, total: number, end: number, samples: number): Promise<AsOfResult> {
  const stanceTimes: number[] = [];
  const gapTimes: number[] = [];
  for (let i = 0; i < samples; i++) {
    // Random (at, knownAt) over the whole history; knownAt a little after at, as news arrives.
    const at = new Date(START + Math.random() * (end - START));
    const knownAt = new Date(at.getTime() + Math.random() * 7_200_000);
    let t = performance.now();
    await stancesAt(db.connection.db, 'bench', { at, knownAt });
    stanceTimes.push(performance.now() - t);
    t = performance.now();
    const [stances, issues] = await Promise.all([stancesAt(db.connection.db, 'bench', { at, knownAt }), issuesKnown(db.connection.db, 'bench', { knownAt })]);
    pairGap('p0', 'p1', stances, issues);
    gapTimes.push(performance.now() - t);
  }
  return {
    events: total,
    stances: { p50: quantile(stanceTimes, 0.5), p99: quantile(stanceTimes, 0.99) },
    gaps: { p50: quantile(gapTimes, 0.5), p99: quantile(gapTimes, 0.99) },
  };
}

/** Scenario 2 (rebuild of the big log) and 3 (as-of latency on a small and the big log). */
export async function rebuildAndAsOfScenario(quick: boolean): Promise<{ rebuild: RebuildResult; asOf: AsOfResult[] }> {
  const big = quick ? 50_000 : 1_000_000;
  const samples = quick ? 200 : 1000;
  const asOf: AsOfResult[] = [];
  const small = await freshDatabase('asof_small');
  try {
    const seeded = await seed(small, 10_000);
    await rebuildProjections(small.connection, new EventStore(small.connection.db, registry), projections);
    await sql`analyze`.execute(small.connection.db);
    await asOfLatencies(small, seeded.total, seeded.end, 50); // warm-up
    asOf.push(await asOfLatencies(small, seeded.total, seeded.end, samples));
  } finally {
    await small.drop();
  }
  const large = await freshDatabase('rebuild');
  try {
    const seeded = await seed(large, big);
    global.gc?.();
    const started = performance.now();
    const measured = await peakMemory(() => rebuildProjections(large.connection, new EventStore(large.connection.db, registry), projections, { batchSize: 5000 }));
    const seconds = (performance.now() - started) / 1000;
    await sql`analyze`.execute(large.connection.db);
    await asOfLatencies(large, seeded.total, seeded.end, 50);
    asOf.push(await asOfLatencies(large, seeded.total, seeded.end, samples));
    return {
      rebuild: { events: seeded.total, eventsPerSecond: seeded.total / seconds, peakRssMiB: measured.peakRssMiB, peakHeapMiB: measured.peakHeapMiB },
      asOf,
    };
  } finally {
    await large.drop();
  }
}
