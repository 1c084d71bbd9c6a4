// POST throughput alone (autocannon, 50 connections, 8 s, one PositionStated per request) for the
// build in <root>/dist-bench: `npx tsc -p tsconfig.bench.json && node bench/post-only.js "$PWD"`;
// run it against a worktree of another commit, built the same way, to compare two builds A B A B.
const root = process.argv[2];
const autocannon = require('autocannon');
const { createServer } = require(`${root}/dist-bench/src/server.js`);
const { loadConfig } = require(`${root}/dist-bench/src/config/config.js`);
const { freshDatabase } = require(`${root}/dist-bench/bench/support.js`);
(async () => {
  const db = await freshDatabase('post', 30);
  const app = await createServer(loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent', PARLEY_RATE_LIMIT: '0', PORT: '0', PARLEY_LOAD_EXAMPLE: 'never' }));
  await app.listen(0, '127.0.0.1');
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const ev = (t, d) => ({ type: t, occurredAt: '2025-04-01T00:00:00Z', data: d });
  await fetch(`${base}/negotiations/p/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events: [ev('NegotiationOpened', { title: 'p' }), ev('PartyAdded', { party: 'us', name: 'US' }), ev('IssueDefined', { issue: 'crimea', title: 'Crimea' })] }) });
  const body = JSON.stringify({ events: [ev('PositionStated', { party: 'us', issue: 'crimea', value: 42 })] });
  const r = await new Promise((res, rej) => autocannon({ url: `${base}/negotiations/p/events`, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections: 50, duration: 8 }, (e, x) => (e ? rej(e) : res(x))));
  console.log(root, Math.round(r.requests.average), 'req/s p99', r.latency.p99, 'non2xx', r.non2xx);
  await app.close(); await db.drop(); process.exit(0);
})();
