import { freshDatabase, quantile, startServerProcess } from './support';

/**
 * Scenario 6: what one tenant's bulk work costs the others (issue 23), against a server in a
 * child process, so the load generator's own work never delays the server's event loop.
 * - A large NDJSON import, then the same file again, while another negotiation writes once
 *   every 100 ms and reads its own write back: how long the import took, and the others' worst
 *   write and read.
 * - The largest panel PARLEY_PANEL_MAX_CELLS allows, streamed as CSV to a client that reads as
 *   fast as it can, while /health is asked every 20 ms: /health's latency.
 */

export interface BulkResult {
  lines: number;
  importMs: number;
  reimportMs: number;
  /** One-event writes to another negotiation during the import and the re-import. */
  otherWriteMs: { p50: number; max: number; count: number };
  /** Reads of that negotiation with its write's Parley-Min-Position. */
  otherReadMs: { p50: number; max: number; count: number };
  panel: { cells: number; bytes: number; ms: number; healthMs: { p50: number; p99: number; max: number; count: number } };
}

const json = (events: unknown[]) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events }) });
const at = (day: number) => new Date(Date.UTC(2000, 0, 1) + day * 86_400_000).toISOString();

function bigFile(lines: number): string {
  const out = [
    { type: 'NegotiationOpened', occurredAt: at(0), data: { title: 'bulk' } },
    ...['a', 'b', 'c', 'd', 'e'].map((party) => ({ type: 'PartyAdded', occurredAt: at(0), data: { party, name: party } })),
    ...['x', 'y', 'z'].map((issue) => ({ type: 'IssueDefined', occurredAt: at(0), data: { issue, title: issue } })),
  ].map((e) => JSON.stringify(e));
  for (let k = 0; out.length < lines; k++) {
    out.push(JSON.stringify({ type: 'PositionStated', occurredAt: new Date(Date.UTC(2025, 3, 2) + k * 1000).toISOString(), data: { party: 'abcde'[k % 5], issue: 'xyz'[k % 3], value: k % 101, summary: `line ${k}` } }));
  }
  return `${out.join('\n')}\n`;
}

/** Runs `work` while another negotiation writes every 100 ms and reads its write back. */
async function beside(url: string, work: () => Promise<Response>, writes: number[], reads: number[]): Promise<number> {
  let done = false;
  let n = 0;
  const others = (async () => {
    while (!done) {
      const started = performance.now();
      const write = await fetch(`${url}/negotiations/other/events`, json([{ type: 'PositionStated', occurredAt: at(9000), data: { party: 'a', issue: 'x', value: n++ % 101 } }]));
      writes.push(performance.now() - started);
      const readStarted = performance.now();
      const read = await fetch(`${url}/negotiations/other/stances`, { headers: { 'parley-min-position': write.headers.get('parley-position') ?? '0' } });
      await read.arrayBuffer();
      reads.push(performance.now() - readStarted);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  const started = performance.now();
  const answer = await work();
  await answer.arrayBuffer();
  const ms = performance.now() - started;
  if (answer.status >= 300) throw new Error(`import answered ${answer.status}`);
  done = true;
  await others;
  return ms;
}

async function panelWithHealth(url: string, quick: boolean) {
  const parties = Array.from({ length: 10 }, (_, i) => `p${i}`);
  const issues = Array.from({ length: 10 }, (_, i) => `i${i}`);
  const events: unknown[] = [{ type: 'NegotiationOpened', occurredAt: at(0), data: { title: 'wide' } }];
  for (const party of parties) events.push({ type: 'PartyAdded', occurredAt: at(0), data: { party, name: party } });
  for (const issue of issues) events.push({ type: 'IssueDefined', occurredAt: at(0), data: { issue, title: issue } });
  for (const party of parties) for (const issue of issues) events.push({ type: 'PositionStated', occurredAt: at(0), data: { party, issue, value: 50 } });
  const opened = await fetch(`${url}/negotiations/wide/events`, json(events));
  if (opened.status !== 201) throw new Error(`panel setup answered ${opened.status}`);
  // 10 × 10 × 10,000 points = 1,000,000 cells, the default PARLEY_PANEL_MAX_CELLS (--quick: 1/20).
  const points = quick ? 500 : 10_000;
  const health: number[] = [];
  let streaming = true;
  const asking = (async () => {
    while (streaming) {
      const started = performance.now();
      await (await fetch(`${url}/health`)).arrayBuffer();
      health.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  const started = performance.now();
  const response = await fetch(`${url}/negotiations/wide/panel?from=${at(1).slice(0, 10)}&to=${at(points).slice(0, 10)}&step=P1D&format=csv`);
  if (response.status !== 200) throw new Error(`panel answered ${response.status}: ${await response.text()}`);
  let bytes = 0;
  const reader = response.body!.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) bytes += chunk.value.length;
  const ms = performance.now() - started;
  streaming = false;
  await asking;
  return { cells: points * parties.length * issues.length, bytes, ms, healthMs: { p50: quantile(health, 0.5), p99: quantile(health, 0.99), max: Math.max(...health), count: health.length } };
}

export async function bulkScenario(quick: boolean): Promise<BulkResult> {
  const db = await freshDatabase('bulk');
  const { url, server: child } = await startServerProcess(db.url);
  try {
    const other = await fetch(`${url}/negotiations/other/events`, json([
      { type: 'NegotiationOpened', occurredAt: at(0), data: { title: 'other' } },
      { type: 'PartyAdded', occurredAt: at(0), data: { party: 'a', name: 'a' } },
      { type: 'IssueDefined', occurredAt: at(0), data: { issue: 'x', title: 'x' } },
    ]));
    if (other.status !== 201) throw new Error(`setup answered ${other.status}`);
    const lines = quick ? 6_500 : 130_000;
    const file = bigFile(lines);
    const importFile = () => fetch(`${url}/negotiations/bulk/events:import`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: file });
    const writes: number[] = [];
    const reads: number[] = [];
    const importMs = await beside(url, importFile, writes, reads);
    const reimportMs = await beside(url, importFile, writes, reads);
    const panel = await panelWithHealth(url, quick);
    const stats = (values: number[]) => ({ p50: quantile(values, 0.5), max: Math.max(...values), count: values.length });
    return { lines, importMs, reimportMs, otherWriteMs: stats(writes), otherReadMs: stats(reads), panel };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await db.drop();
  }
}
