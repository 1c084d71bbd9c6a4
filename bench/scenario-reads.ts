/**
 * What a scenario branch costs a read (issue 28): GET stances and gaps on the example, of the
 * record and of a branch with two hypothetical positions, the in-process answer cache off so
 * every request runs its queries. `npx tsc -p tsconfig.bench.json && node
 * dist-bench/bench/scenario-reads.js` (BENCH_DATABASE_URL or the local PostgreSQL); Parley in a
 * child process, autocannon with 20 connections, 10 s per route, record and branch alternated twice.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createClient, orThrow } from '@parley/client';
import { freshDatabase, median, startServerProcess } from './support';

const ROOT = join(__dirname, '../..');

async function main() {
  const db = await freshDatabase('scenario_reads');
  const { url, server } = await startServerProcess(db.url, { PARLEY_READ_CACHE_MB: '0', PARLEY_LOAD_EXAMPLE: 'never' });
  try {
    const parley = createClient(url);
    const imported = await fetch(`${url}/negotiations/ukraine-2025/events:import`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: readFileSync(join(ROOT, 'examples/ukraine-2025/events.ndjson'), 'utf8') });
    if (imported.status !== 201) throw new Error(`import: ${imported.status}`);
    await orThrow(parley.POST('/negotiations/{nid}/scenarios', { params: { path: { nid: 'ukraine-2025' } }, body: { name: 'us-defers' } }));
    const branch = await fetch(`${url}/negotiations/ukraine-2025/scenarios/us-defers/events:import`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: readFileSync(join(ROOT, 'examples/ukraine-2025/scenario-us-defers-territory.ndjson'), 'utf8') });
    if (branch.status !== 201) throw new Error(`branch: ${branch.status}`);
    const routes = ['stances?at=2025-04-30', 'gaps?at=2025-04-30'];
    const run = (path: string) =>
      new Promise<autocannon.Result>((resolve, reject) => autocannon({ url: `${url}/negotiations/ukraine-2025/${path}`, connections: 20, duration: 10 }, (err, result) => (err ? reject(err) : resolve(result))));
    for (const route of routes) {
      const figures: Record<'record' | 'branch', { rps: number[]; p50: number[] }> = { record: { rps: [], p50: [] }, branch: { rps: [], p50: [] } };
      for (let round = 0; round < 2; round++) {
        for (const side of ['record', 'branch'] as const) {
          const result = await run(side === 'record' ? route : `${route}&scenario=us-defers`);
          if (result.non2xx > 0) throw new Error(`${side} ${route}: ${result.non2xx} answers not 2xx`);
          figures[side].rps.push(result.requests.average);
          figures[side].p50.push(result.latency.p50);
        }
      }
      const line = (side: 'record' | 'branch') => `${Math.round(median(figures[side].rps))} req/s, p50 ${median(figures[side].p50)} ms`;
      process.stdout.write(`GET ${route.padEnd(22)} record ${line('record')}; branch ${line('branch')}; branch ÷ record ${(median(figures.branch.rps) / median(figures.record.rps)).toFixed(2)}\n`);
    }
  } finally {
    server.kill('SIGTERM');
    await db.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
