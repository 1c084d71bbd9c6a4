/**
 * How long the agreement route takes (issue 27: "under a second with 50+ double-coded items"):
 * `npx tsc -p tsconfig.bench.json && node dist-bench/bench/agreement.js [items]` (needs
 * BENCH_DATABASE_URL or the local PostgreSQL). Parley in-process on a fresh database; `items`
 * news items (default 60 and 500), each coded by two coders through review, a tenth by a third;
 * then 20 timed GETs of /agreement (each with its three bootstrap intervals, 1,000 draws each).
 */
import { loadConfig } from '../src/config/config';
import { createServer } from '../src/server';
import { freshDatabase, quantile } from './support';
import { createClient, orThrow } from '@parley/client';

const KEYS = 'writer:alice:alice-key-0001,writer:bob:bob-key-00002,writer:carol:carol-key-003,admin:rita:rita-admin-key';
const KEY: Record<string, string> = { alice: 'alice-key-0001', bob: 'bob-key-00002', carol: 'carol-key-003', rita: 'rita-admin-key' };

async function measure(items: number): Promise<{ items: number; p50: number; p95: number; max: number }> {
  const db = await freshDatabase('agreement');
  const app = await createServer(loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent', PORT: '0', PARLEY_API_KEYS: KEYS }));
  await app.listen(0, '127.0.0.1');
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  // Each coder's typed client (clients/typescript): routes, parameters and bodies checked by tsc.
  const as = (who: string) => createClient(base, { apiKey: KEY[who]! });
  const nid = { path: { nid: 'bench' } };
  try {
    const at = (i: number) => `2025-04-${String(1 + (i % 28)).padStart(2, '0')}`;
    const opened = '2025-04-01T00:00:00Z';
    await orThrow(as('rita').POST('/negotiations/{nid}/events', {
      params: nid,
      body: {
        events: [
          { type: 'NegotiationOpened', occurredAt: opened, data: { title: 'Bench' } },
          ...['us', 'russia', 'ukraine'].map((party) => ({ type: 'PartyAdded' as const, occurredAt: opened, data: { party, name: party } })),
          ...['crimea', 'sanctions'].map((issue) => ({ type: 'IssueDefined' as const, occurredAt: opened, data: { issue, title: issue } })),
        ],
      },
    }));
    const ids: string[] = [];
    for (let from = 0; from < items; from += 500) {
      const page = Array.from({ length: Math.min(500, items - from) }, (_, k) => ({ guid: `bench-${from + k}`, title: `Report ${from + k}`, publishedAt: at(from + k) }));
      ids.push(...(await orThrow(as('alice').POST('/negotiations/{nid}/news', { params: nid, body: { items: page } }))).items.map((x) => x.id));
    }
    await orThrow(as('rita').PUT('/negotiations/{nid}/review', { params: nid, body: { required: true, doubleCoding: 1 } }));
    // A coding goes through review: a 202 with the proposal's id.
    const code = (who: string, i: number, value: number) =>
      orThrow(as(who).POST('/negotiations/{nid}/events', {
        params: nid,
        body: {
          events: [{ type: 'PositionStated', occurredAt: `${at(i)}T12:00:00Z`, data: { party: ['us', 'russia', 'ukraine'][i % 3]!, issue: i % 2 ? 'crimea' : 'sanctions', value, basis: i % 5 ? 'quoted' : 'paraphrased' }, source: { itemId: ids[i]! } }],
        },
      }));
    for (let i = 0; i < items; i++) {
      await code('alice', i, (i * 7) % 101);
      await code('bob', i, i % 4 ? (i * 7) % 101 : ((i * 7) % 101 + 30) % 101);
      if (i % 10 === 0) await code('carol', i, (i * 7 + 5) % 101);
    }
    const times: number[] = [];
    for (let r = 0; r < 21; r++) {
      const started = performance.now();
      const answer = await orThrow(as('rita').GET('/negotiations/{nid}/agreement', { params: nid }));
      // The route also answers CSV (a string): this asks for JSON.
      if (typeof answer === 'string' || answer.units !== items || answer.alpha.value.low === null) throw new Error(`unexpected answer: ${JSON.stringify(answer).slice(0, 200)}`);
      if (r > 0) times.push(performance.now() - started); // the first warms up
    }
    return { items, p50: quantile(times, 0.5), p95: quantile(times, 0.95), max: Math.max(...times) };
  } finally {
    await app.close();
    await db.drop();
  }
}

async function main() {
  const sizes = process.argv[2] ? [Number(process.argv[2])] : [60, 500];
  for (const items of sizes) {
    const r = await measure(items);
    process.stdout.write(`GET /agreement, ${r.items} items coded by two (a tenth by three): p50 ${r.p50.toFixed(0)} ms, p95 ${r.p95.toFixed(0)} ms, max ${r.max.toFixed(0)} ms (20 requests)\n`);
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
