import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { exampleDatasetPath } from '../src/config/paths';
import { freshDatabase, startServerProcess } from './support';

/**
 * `npm run load`: 50 connections of mixed writes and as-of reads against a Parley server in a
 * child process, 60 s (10 s with --quick) after a 10 s warm-up. Fails on any 5xx, or when the
 * server's RSS after the run exceeds 1.2× its RSS after the warm-up.
 */
const quick = process.argv.includes('--quick');

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024);
}

async function main() {
  const db = await freshDatabase('load', 30);
  const { url, server } = await startServerProcess(db.url);
  try {
    const imported = await fetch(`${url}/negotiations/ukraine-2025/events:import`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: readFileSync(exampleDatasetPath(), 'utf8'),
    });
    if (imported.status !== 201) throw new Error(`import answered ${imported.status}`);
    let n = 0;
    const body = () =>
      JSON.stringify({ events: [{ type: 'PositionStated', occurredAt: '2025-04-26T00:00:00Z', data: { party: 'russia', issue: 'crimea', value: n++ % 101 } }] });
    const run = (duration: number) =>
      new Promise<autocannon.Result>((resolve, reject) =>
        autocannon(
          {
            url,
            connections: 50,
            duration,
            requests: [
              { method: 'POST', path: '/negotiations/ukraine-2025/events', headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: body() }) },
              { method: 'GET', path: '/negotiations/ukraine-2025/stances?at=2025-04-24' },
              { method: 'GET', path: '/negotiations/ukraine-2025/gaps?between=us,ukraine' },
              { method: 'GET', path: `/negotiations/ukraine-2025/stances?at=2025-04-20&knownAt=${encodeURIComponent(new Date().toISOString())}` },
            ],
          },
          (error, result) => (error ? reject(error) : resolve(result)),
        ),
      );
    // A warm-up long enough for V8's heap and PostgreSQL's caches to reach their working size.
    await run(20);
    const warm = rssMiB(server.pid!);
    const samples: number[] = [];
    const sampler = setInterval(() => samples.push(rssMiB(server.pid!)), 5000);
    const result = await run(quick ? 10 : 60);
    clearInterval(sampler);
    const after = rssMiB(server.pid!);
    const fiveXx = result['5xx'];
    const ratio = after / warm;
    process.stdout.write(
      [
        `load: 50 connections, ${quick ? 10 : 60} s, 1 write : 3 reads`,
        `  ${Math.round(result.requests.average)} req/s, latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`,
        `  responses: ${result['2xx']} 2xx, ${result['4xx']} 4xx, ${fiveXx} 5xx, ${result.errors} errors`,
        `  server RSS after warm-up ${warm} MiB, after the run ${after} MiB (${ratio.toFixed(2)}×); every 5 s: ${samples.join(', ')}`,
      ].join('\n') + '\n',
    );
    if (fiveXx > 0 || result.errors > 0 || ratio > 1.2) {
      process.stderr.write('load: FAILED (5xx, errors, or memory grew more than 1.2×)\n');
      process.exitCode = 1;
    }
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await db.drop();
  }
}

main().catch((error) => {
  process.stderr.write(`load failed: ${(error as Error).stack}\n`);
  process.exit(1);
});
