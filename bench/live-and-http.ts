import autocannon from 'autocannon';
import { createParser } from 'eventsource-parser';
import { readFileSync } from 'node:fs';
import { loadConfig } from '../src/config/config';
import { exampleDatasetPath } from '../src/config/paths';
import { createServer } from '../src/server';
import type { ChildProcess } from 'node:child_process';
import { freshDatabase, quantile, startServerProcess } from './support';

async function listening(url: string, env: Record<string, string> = {}) {
  const app = await createServer(loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent', PARLEY_RATE_LIMIT: '0', PORT: '0', ...env }));
  await app.listen(0, '127.0.0.1');
  return { app, base: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}

async function startServer(url: string) {
  const { app, base } = await listening(url);
  const imported = await fetch(`${base}/negotiations/ukraine-2025/events:import`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson' },
    body: readFileSync(exampleDatasetPath(), 'utf8'),
  });
  if (imported.status !== 201) throw new Error(`import answered ${imported.status}`);
  return { app, base };
}

const position = (i: number) =>
  JSON.stringify({
    events: [{ type: 'PositionStated', occurredAt: new Date(Date.UTC(2025, 3, 26) + i * 1000).toISOString(), data: { party: 'russia', issue: 'crimea', value: i % 101, summary: `bench ${i}` } }],
  });

export interface LiveResult {
  rate: number;
  events: number;
  /** Request sent → SSE frame received. */
  p50: number;
  p99: number;
  /** Commit (the event's recordedAt, same machine clock) → SSE frame received. */
  commitP50: number;
  commitP99: number;
}

/** Scenario 4: append over HTTP at a steady rate; time from sending to the SSE frame arriving. */
export async function liveScenario(quick: boolean): Promise<LiveResult> {
  const db = await freshDatabase('live');
  const { app, base } = await startServer(db.url);
  try {
    const rate = 200;
    const count = quick ? 400 : 2000;
    const sentAt = new Map<string, number>();
    const latencies: number[] = [];
    const sinceCommit: number[] = [];
    const controller = new AbortController();
    const response = await fetch(`${base}/feed?negotiation=ukraine-2025&types=PositionStated`, { signal: controller.signal });
    const parser = createParser({
      onEvent: (message) => {
        const envelope = JSON.parse(message.data);
        const sent = sentAt.get(envelope.data.data.summary as string);
        if (sent === undefined) return;
        latencies.push(performance.now() - sent);
        sinceCommit.push(Date.now() - Date.parse(envelope.data.recordedAt));
      },
    });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    const reading = (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          parser.feed(decoder.decode(value, { stream: true }));
        }
      } catch {
        // aborted
      }
    })();
    const started = performance.now();
    const posts: Promise<unknown>[] = [];
    for (let i = 0; i < count; i++) {
      const due = started + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      sentAt.set(`bench ${i}`, performance.now());
      posts.push(fetch(`${base}/negotiations/ukraine-2025/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: position(i) }));
    }
    await Promise.all(posts);
    const deadline = Date.now() + 10_000;
    while (latencies.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    await reading;
    return {
      rate,
      events: latencies.length,
      p50: quantile(latencies, 0.5),
      p99: quantile(latencies, 0.99),
      commitP50: quantile(sinceCommit, 0.5),
      commitP99: quantile(sinceCommit, 0.99),
    };
  } finally {
    await app.close();
    await db.drop();
  }
}

export interface HttpResult {
  route: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
}

/**
 * Scenario 5: autocannon, 50 connections: POST events; GET stances as a dashboard asks it
 * (cached after the first read), revalidated with If-None-Match (304), and with the cache off
 * (PARLEY_READ_CACHE_MB=0, a second instance on the same database); /health, the framework's floor.
 */
/**
 * Scenario 5: the HTTP routes, 50 connections each. Parley runs as it does in production, a
 * process of its own (`node dist/src/main.js`, default LOG_LEVEL info, so one access line per
 * request), so autocannon's work is never charged to the server's event loop; until session 10 it
 * ran in this process, which held reads (CPU-bound) to the load generator's pace and made
 * read/POST ratios look closer to 1 than they are.
 */
export async function httpScenario(quick: boolean): Promise<HttpResult[]> {
  const db = await freshDatabase('http', 30);
  const servers: ChildProcess[] = [];
  const serve = async (env: Record<string, string> = {}) => {
    const { url, server } = await startServerProcess(db.url, env);
    servers.push(server);
    return url;
  };
  try {
    const base = await serve();
    const imported = await fetch(`${base}/negotiations/ukraine-2025/events:import`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: readFileSync(exampleDatasetPath(), 'utf8') });
    if (imported.status !== 201) throw new Error(`import answered ${imported.status}`);
    const duration = quick ? 3 : 10;
    const run = (opts: autocannon.Options) =>
      new Promise<autocannon.Result>((resolve, reject) => autocannon({ connections: 50, duration, ...opts }, (err, result) => (err ? reject(err) : resolve(result))));
    const results: HttpResult[] = [];
    const record = (route: string, r: autocannon.Result, non2xx = r.non2xx) => results.push({ route, requestsPerSecond: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx });
    record('POST /negotiations/{nid}/events', await run({ url: `${base}/negotiations/ukraine-2025/events`, method: 'POST', headers: { 'content-type': 'application/json' }, body: position(42) }));
    const stances = `/negotiations/ukraine-2025/stances?at=2025-04-24`;
    record('GET /negotiations/{nid}/stances', await run({ url: `${base}${stances}` }));
    const etag = (await fetch(`${base}${stances}`)).headers.get('etag') ?? '';
    const revalidated = await run({ url: `${base}${stances}`, headers: { 'if-none-match': etag } });
    // 304s are not 2xx: autocannon counts them in non2xx, which here means "not revalidated".
    record('GET stances, If-None-Match (304)', revalidated, revalidated.non2xx - (revalidated['3xx'] ?? 0));
    record('GET /health', await run({ url: `${base}/health` }));
    // The framework's floor: a route that reads nothing.
    record('GET /livez', await run({ url: `${base}/livez` }));
    const uncached = await serve({ PARLEY_READ_CACHE_MB: '0' });
    record('GET stances, cache off', await run({ url: `${uncached}${stances}` }));
    return results;
  } finally {
    for (const server of servers) {
      server.kill('SIGTERM');
      await new Promise((resolve) => (server.exitCode !== null ? resolve(null) : server.once('exit', resolve)));
    }
    await db.drop();
  }
}
