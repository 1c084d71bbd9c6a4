import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../src/config/paths';
import { appendScenario } from './append';
import { bulkScenario } from './bulk-and-bounds';
import { liveScenario, httpScenario } from './live-and-http';
import { fanoutScenario } from './fanout';
import { rebuildAndAsOfScenario } from './queries';
import { BENCH_URL, machine } from './support';

const quick = process.argv.includes('--quick');
const round = (n: number | null, digits = 0) => (n === null || Number.isNaN(n) ? '–' : n.toFixed(digits));

async function main() {
  const started = Date.now();
  const about = await machine(BENCH_URL);
  process.stdout.write(`parley bench${quick ? ' --quick (1/20 size)' : ''} on ${about.cpu} (${about.cores} cores), Node ${about.node}, PostgreSQL ${about.postgres}\n`);
  const log = (s: string) => process.stderr.write(`… ${s}\n`);

  log('1/7 append throughput');
  const append = await appendScenario(quick, quick ? 1 : 3);
  log('2-3/7 rebuild and as-of latency');
  const { rebuild, asOf } = await rebuildAndAsOfScenario(quick);
  log('4/7 live latency');
  const live = await liveScenario(quick);
  log('5/7 HTTP');
  const http = await httpScenario(quick);
  log('6/7 bulk work beside other tenants');
  const bulk = await bulkScenario(quick);
  log('7/7 feed fan-out');
  // Full size: 1,000 and 5,000 clients for 10 s each at 50 appends/s; quick: 200 for 3 s.
  const fanout = [];
  for (const clients of quick ? [200] : [1000, 5000]) fanout.push(await fanoutScenario(clients, quick ? 3 : 10));

  const lines: string[] = [];
  lines.push('', '1. Append throughput (events/s, median of runs after a warm-up)', 'writers batch   parley    INSERT     COPY   emmett  parley/INSERT parley/emmett');
  for (const r of append) {
    lines.push(
      `${String(r.writers).padStart(7)} ${String(r.batch).padStart(5)} ${round(r.parley).padStart(8)} ${round(r.limit).padStart(9)} ${round(r.copy).padStart(8)} ${round(r.emmett).padStart(8)} ${round(r.parley / r.limit, 2).padStart(14)} ${r.emmett ? round(r.parley / r.emmett, 2).padStart(13) : '            –'}`,
    );
  }
  lines.push('', `2. Rebuild: ${rebuild.events} events at ${round(rebuild.eventsPerSecond)} events/s, peak RSS ${rebuild.peakRssMiB} MiB, peak heap ${rebuild.peakHeapMiB} MiB`);
  lines.push('', '3. As-of latency (ms)', '   events  stances p50  p99   gaps p50  p99');
  for (const r of asOf) lines.push(`${String(r.events).padStart(9)} ${round(r.stances.p50, 2).padStart(12)} ${round(r.stances.p99, 2).padStart(5)} ${round(r.gaps.p50, 2).padStart(10)} ${round(r.gaps.p99, 2).padStart(5)}`);
  const [small, large] = asOf;
  if (small && large) lines.push(`   p99 ratio ${large.events}/${small.events} events: stances ${round(large.stances.p99 / small.stances.p99, 2)}×, gaps ${round(large.gaps.p99 / small.gaps.p99, 2)}×`);
  lines.push('', `4. Live at ${live.rate} appends/s (${live.events} events): commit → SSE p50 ${round(live.commitP50, 1)} ms, p99 ${round(live.commitP99, 1)} ms; request sent → SSE p50 ${round(live.p50, 1)} ms, p99 ${round(live.p99, 1)} ms`);
  lines.push('', '5. HTTP, 50 connections (autocannon)');
  for (const h of http) lines.push(`   ${h.route.padEnd(34)} ${round(h.requestsPerSecond).padStart(6)} req/s  p50 ${h.p50} ms  p99 ${h.p99} ms  non-2xx ${h.non2xx}`);
  lines.push(
    '',
    `6. Bulk work beside other tenants (server in a child process): import of ${bulk.lines} lines ${round(bulk.importMs)} ms, the same file again ${round(bulk.reimportMs)} ms;`,
    `   meanwhile another negotiation's one-event writes p50 ${round(bulk.otherWriteMs.p50, 1)} ms, max ${round(bulk.otherWriteMs.max, 1)} ms (${bulk.otherWriteMs.count}), its reads of them p50 ${round(bulk.otherReadMs.p50, 1)} ms, max ${round(bulk.otherReadMs.max, 1)} ms`,
    `   panel of ${bulk.panel.cells} cells as CSV: ${round(bulk.panel.bytes / 1e6, 1)} MB in ${round(bulk.panel.ms)} ms; /health meanwhile p50 ${round(bulk.panel.healthMs.p50, 1)} ms, p99 ${round(bulk.panel.healthMs.p99, 1)} ms, max ${round(bulk.panel.healthMs.max, 1)} ms (${bulk.panel.healthMs.count})`,
  );
  lines.push('', '7. Feed fan-out (SSE clients on one negotiation, 50 appends/s; commit → frame, one client in 25 timed)');
  for (const f of fanout) lines.push(`   ${String(f.clients).padStart(5)} clients (${f.connected} connected): p50 ${round(f.p50)} ms, p99 ${round(f.p99)} ms, max ${round(f.max)} ms; ${f.complete} of them got all ${f.appended} events in order; ${round(f.kibPerClient, 1)} KiB per idle client`);
  lines.push('', `took ${Math.round((Date.now() - started) / 1000)} s`);
  process.stdout.write(`${lines.join('\n')}\n`);

  const dir = join(projectRoot(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  // The ratios under names that say what they are, e.g. append.8x1.parleyOverEmmett.
  const ratios: Record<string, number | null> = {};
  for (const r of append) {
    ratios[`append.${r.writers}x${r.batch}.parleyOverEmmett`] = r.emmett ? r.parley / r.emmett : null;
    ratios[`append.${r.writers}x${r.batch}.parleyOverInsert`] = r.parley / r.limit;
  }
  if (small && large) ratios['asOf.stancesP99.largeOverSmall'] = large.stances.p99 / small.stances.p99;
  const rate = (route: string) => http.find((h) => h.route === route)?.requestsPerSecond ?? null;
  const over = (a: number | null, b: number | null) => (a !== null && b ? a / b : null);
  ratios['http.stancesOverPost'] = over(rate('GET /negotiations/{nid}/stances'), rate('POST /negotiations/{nid}/events'));
  ratios['http.stancesOverHealth'] = over(rate('GET /negotiations/{nid}/stances'), rate('GET /health'));
  ratios['http.revalidatedOverHealth'] = over(rate('GET stances, If-None-Match (304)'), rate('GET /health'));
  // What the framework alone allows: a route that reads nothing, against POST and the hot read.
  ratios['http.livezOverPost'] = over(rate('GET /livez'), rate('POST /negotiations/{nid}/events'));
  ratios['http.stancesOverLivez'] = over(rate('GET /negotiations/{nid}/stances'), rate('GET /livez'));
  ratios['http.uncachedStancesOverPost'] = over(rate('GET stances, cache off'), rate('POST /negotiations/{nid}/events'));
  for (const f of fanout) {
    ratios[`fanout.${f.clients}.p99`] = f.p99;
    ratios[`fanout.${f.clients}.completeShare`] = f.complete / f.clients;
    ratios[`fanout.${f.clients}.kibPerClient`] = f.kibPerClient;
  }
  writeFileSync(join(dir, 'latest.json'), JSON.stringify({ machine: about, commit: about.commit, quick, ratios, append, rebuild, asOf, live, http, bulk, fanout }, null, 2));
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`bench failed: ${(error as Error).stack}\n`);
    process.exit(1);
  },
);
