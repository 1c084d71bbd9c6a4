import { Agent, request } from 'node:http';
import { readFileSync } from 'node:fs';
import { exampleDatasetPath } from '../src/config/paths';
import { freshDatabase, quantile, startServerProcess } from './support';

export interface FanoutResult {
  clients: number;
  connected: number;
  rate: number;
  appended: number;
  /** Commit (the event's recordedAt, same machine clock) → frame received, over every client. */
  p50: number;
  p99: number;
  max: number;
  /** Clients that received every appended event, in order, with no gap and no repeat. */
  complete: number;
  /** Server memory per idle client: (RSS with the clients − RSS before) ÷ clients, KiB. */
  kibPerClient: number;
}

/** The server's resident memory (Linux /proc), in KiB. */
function rssKiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0);
}

/** One client in SAMPLE times its frames (all check order and completeness). */
const SAMPLE = 25;

const stated = (i: number) =>
  JSON.stringify({ events: [{ type: 'PositionStated', occurredAt: new Date(Date.UTC(2025, 3, 26) + i * 1000).toISOString(), data: { party: 'russia', issue: 'crimea', value: i % 101, summary: `fanout ${i}` } }] });

/**
 * Scenario 7: one Parley (a child process, so this load generator never delays it) with
 * `clients` SSE connections on one negotiation, fed `rate` appends a second for `seconds`.
 * Each client checks that its frames come in order with no gap (ids are global positions), and
 * times each frame from the event's commit.
 */
export async function fanoutScenario(clients: number, seconds: number, rate = 50): Promise<FanoutResult> {
  const db = await freshDatabase(`fanout${clients}`, 10);
  const { url, server } = await startServerProcess(db.url, { PARLEY_FEED_MAX_PER_CLIENT: String(clients + 10) });
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const open: { destroy(): void }[] = [];
  try {
    const imported = await fetch(`${url}/negotiations/ukraine-2025/events:import`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: readFileSync(exampleDatasetPath(), 'utf8') });
    if (imported.status !== 201) throw new Error(`import answered ${imported.status}`);
    const head = Number(imported.headers.get('parley-position'));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = rssKiB(server.pid!);
    const latencies: number[] = [];
    const seen = Array.from({ length: clients }, () => ({ last: head, ok: true, count: 0 }));
    let connected = 0;
    const progress = (what: string) => process.stderr.write(`fanout ${clients}: ${what}\n`);
    // Connect in waves of 250, so the accept queue is never the thing measured.
    for (let start = 0; start < clients; start += 250) {
      await Promise.all(
        Array.from({ length: Math.min(250, clients - start) }, (_, k) => {
          const index = start + k;
          return new Promise<void>((resolve, reject) => {
            const req = request(`${url}/feed?negotiation=ukraine-2025&types=PositionStated&after=${head}`, { agent, headers: { accept: 'text/event-stream' } }, (response) => {
              if (response.statusCode !== 200) return reject(new Error(`feed answered ${response.statusCode}`));
              connected++;
              resolve();
              // Light on purpose: 5,000 clients at 50 events/s are 250,000 frames/s for this one
              // process. Every client checks its ids; one in SAMPLE times its frames.
              const timed = index % SAMPLE === 0;
              const state = seen[index]!;
              let tail = '';
              response.setEncoding('utf8');
              response.on('data', (chunk: string) => {
                const text = tail + chunk;
                let at = 0;
                for (;;) {
                  const id = text.indexOf('id: ', at);
                  const end = id < 0 ? -1 : text.indexOf('\n\n', id);
                  if (end < 0) break;
                  const position = Number.parseInt(text.slice(id + 4, text.indexOf('\n', id)), 10);
                  if (position <= state.last) state.ok = false;
                  state.last = position;
                  state.count++;
                  if (timed) {
                    const stamp = text.indexOf('"recordedAt":"', id);
                    if (stamp >= 0 && stamp < end) latencies.push(Date.now() - Date.parse(text.slice(stamp + 14, stamp + 38)));
                  }
                  at = end + 2;
                }
                tail = text.slice(at);
              });
            });
            req.on('error', reject);
            req.end();
            open.push(req);
          });
        }),
      );
    }
    progress(`${connected} connected`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const idle = rssKiB(server.pid!);
    const total = Math.round(rate * seconds);
    const started = performance.now();
    const posts: Promise<Response>[] = [];
    for (let i = 0; i < total; i++) {
      const wait = started + (i * 1000) / rate - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      posts.push(fetch(`${url}/negotiations/ukraine-2025/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stated(i) }));
    }
    const answers = await Promise.all(posts);
    const appended = answers.filter((a) => a.status === 201).length;
    progress(`${appended} appended; waiting for every client to have them`);
    const deadline = Date.now() + 30_000;
    while (seen.some((s) => s.count < appended) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    return {
      clients,
      connected,
      rate,
      appended,
      p50: quantile(latencies, 0.5),
      p99: quantile(latencies, 0.99),
      max: latencies.reduce((a, b) => Math.max(a, b), 0),
      complete: seen.filter((s) => s.ok && s.count === appended).length,
      kibPerClient: (idle - before) / Math.max(connected, 1),
    };
  } finally {
    for (const req of open) req.destroy();
    agent.destroy();
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    await db.drop();
  }
}
