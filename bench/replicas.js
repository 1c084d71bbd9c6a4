// Replica figures for issue 14: `npm run build && node bench/replicas.js` (as root: the
// throwaway primary and standby run as the postgres user, like the tests' clusters).
// Builds a primary (initdb) and a streaming standby (pg_basebackup -R), loads the example,
// then measures: as-of reads/s served by the replica vs by the primary at equal concurrency;
// append throughput with and without a replica serving reads; replica lag p99 under appends;
// a Parley-Min-Position read right after a write; leader takeover after kill -9.
const { execFileSync, spawn } = require('node:child_process');
const { chmodSync, chownSync, mkdtempSync, readdirSync, readFileSync, rmSync } = require('node:fs');
const { createServer: netServer } = require('node:net');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { Client } = require('pg');
const { loadConfig } = require('../dist/src/config/config');
const { createServer } = require('../dist/src/server');

const bin = join('/usr/lib/postgresql', readdirSync('/usr/lib/postgresql').sort().pop(), 'bin');
const asPostgres = (cmd, args) => execFileSync('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { stdio: 'pipe' });
const freePort = () => new Promise((resolve) => { const s = netServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); }); });
const quantile = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))]; };
function owned(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o700);
  chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'])), Number(execFileSync('id', ['-g', 'postgres'])));
  return dir;
}
async function cluster(dir, port, extra = '') {
  asPostgres('pg_ctl', ['-D', join(dir, 'data'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off ${extra}`, '-l', join(dir, 'log'), '-w', 'start']);
  return () => asPostgres('pg_ctl', ['-D', join(dir, 'data'), '-m', 'fast', '-w', 'stop']);
}
async function during(ms, concurrency, task) {
  const deadline = Date.now() + ms;
  let done = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => { while (Date.now() < deadline) { await task(); done++; } }));
  return Math.round(done / (ms / 1000));
}
async function app(env) {
  const server = await createServer(loadConfig({ PORT: '0', LOG_LEVEL: 'silent', PARLEY_RATE_LIMIT: '0', ...env }));
  await server.listen(0, '127.0.0.1');
  return { server, url: (await server.getUrl()).replace('[::1]', '127.0.0.1') };
}

(async () => {
  const primaryDir = owned('parley-bench-primary-');
  asPostgres('initdb', ['-D', join(primaryDir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const primaryPort = await freePort();
  const stopPrimary = await cluster(primaryDir, primaryPort);
  const admin = new Client({ connectionString: `postgres://postgres@127.0.0.1:${primaryPort}/postgres` });
  await admin.connect();
  await admin.query('create database parley');
  await admin.end();
  const primaryUrl = `postgres://postgres@127.0.0.1:${primaryPort}/parley`;
  const primaryOnly = await app({ DATABASE_URL: primaryUrl });
  await fetch(`${primaryOnly.url}/negotiations/ukraine-2025/events:import`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: readFileSync(join(__dirname, '../examples/ukraine-2025/events.ndjson'), 'utf8') });
  const standbyDir = owned('parley-bench-standby-');
  asPostgres('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres', '-D', join(standbyDir, 'data'), '-R', '-X', 'stream', '--checkpoint=fast']);
  const standbyPort = await freePort();
  const stopStandby = await cluster(standbyDir, standbyPort, '-c hot_standby=on');
  const standbyUrl = `postgres://postgres@127.0.0.1:${standbyPort}/parley`;
  const withReplica = await app({ DATABASE_URL: primaryUrl, DATABASE_REPLICA_URLS: standbyUrl });
  const results = {};
  try {
    const read = (url) => async () => { const r = await fetch(`${url}/negotiations/ukraine-2025/stances?at=2025-04-24`); await r.arrayBuffer(); };
    await during(2000, 8, read(withReplica.url));
    results.readsPrimary = await during(10_000, 8, read(primaryOnly.url));
    results.readsReplica = await during(10_000, 8, read(withReplica.url));
    const served = (await fetch(`${withReplica.url}/negotiations/ukraine-2025/stances`)).headers.get('parley-served-by');
    results.servedBy = served;
    let n = 0;
    const append = (url) => async () => {
      const r = await fetch(`${url}/negotiations/ukraine-2025/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events: [{ type: 'PositionStated', occurredAt: '2025-04-26T00:00:00Z', data: { party: 'us', issue: 'crimea', value: n++ % 101 } }] }) });
      await r.arrayBuffer();
    };
    results.appendsAlone = await during(10_000, 8, append(primaryOnly.url));
    // Appends while the replica serves reads, and the replica's lag sampled meanwhile.
    const primaryDb = new Client({ connectionString: primaryUrl }); await primaryDb.connect();
    const standbyDb = new Client({ connectionString: standbyUrl }); await standbyDb.connect();
    const lags = [];
    let sampling = true;
    const sampler = (async () => { while (sampling) { const [p, s] = await Promise.all([primaryDb.query('select position from event_store_head'), standbyDb.query('select position from event_store_head')]); lags.push(Number(p.rows[0].position) - Number(s.rows[0].position)); await new Promise((r) => setTimeout(r, 50)); } })();
    const [appendsWithReads] = await Promise.all([during(10_000, 8, append(primaryOnly.url)), during(10_000, 4, read(withReplica.url))]);
    sampling = false; await sampler;
    results.appendsWhileReplicaReads = appendsWithReads;
    results.replicaLagEvents = { p50: quantile(lags, 0.5), p99: quantile(lags, 0.99), samples: lags.length };
    // Write, then read with Parley-Min-Position from the replica: time from the write's answer.
    const minPosition = [];
    for (let i = 0; i < 200; i++) {
      const w = await fetch(`${withReplica.url}/negotiations/ukraine-2025/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events: [{ type: 'PositionStated', occurredAt: '2025-04-26T00:00:00Z', data: { party: 'us', issue: 'crimea', value: i % 101 } }] }) });
      const position = w.headers.get('parley-position'); await w.arrayBuffer();
      const t0 = performance.now();
      const r = await fetch(`${withReplica.url}/negotiations/ukraine-2025/stances`, { headers: { 'parley-min-position': position } });
      if (r.headers.get('parley-served-by') !== 'replica-0') continue;
      await r.arrayBuffer();
      minPosition.push(performance.now() - t0);
    }
    results.minPositionReadMs = { p50: Math.round(quantile(minPosition, 0.5) * 10) / 10, p99: Math.round(quantile(minPosition, 0.99) * 10) / 10, servedByReplica: minPosition.length };
    await primaryDb.end(); await standbyDb.end();
    // Leader takeover after kill -9, with the default retry interval (2 s, with jitter).
    await primaryOnly.server.close(); await withReplica.server.close();
    const takeovers = [];
    for (let round = 0; round < 3; round++) {
      const child = (env) => new Promise((resolve) => { const c = spawn('node', [join(__dirname, '../dist/src/main.js')], { env: { ...process.env, PORT: '0', DATABASE_URL: primaryUrl, LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'ignore'] }); let out = ''; c.stdout.on('data', (d) => { out += d; const m = out.match(/Parley listening on (http:\/\/[^"]+)/); if (m) resolve({ c, url: m[1].replace('[::1]', '127.0.0.1') }); }); });
      const leader = await child({});
      const follower = await child({});
      const leads = async (u) => (await (await fetch(`${u}/health`)).json()).leader;
      while (!(await leads(leader.url))) await new Promise((r) => setTimeout(r, 50));
      const t0 = Date.now();
      leader.c.kill('SIGKILL');
      while (!(await leads(follower.url))) await new Promise((r) => setTimeout(r, 20));
      takeovers.push(Date.now() - t0);
      follower.c.kill('SIGTERM');
      await new Promise((r) => follower.c.once('exit', r));
    }
    results.takeoverMs = takeovers;
    console.log(JSON.stringify(results));
  } finally {
    stopStandby(); stopPrimary();
    rmSync(standbyDir, { recursive: true, force: true }); rmSync(primaryDir, { recursive: true, force: true });
  }
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
