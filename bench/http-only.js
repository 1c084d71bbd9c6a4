// Scenario 5 of `npm run bench` alone (the HTTP routes, 50 connections, 10 s each), for the
// build in <root>/dist-bench: `npx tsc -p tsconfig.bench.json && node bench/http-only.js "$PWD"`.
const { httpScenario } = require(`${process.argv[2]}/dist-bench/bench/live-and-http.js`);
httpScenario(false).then(
  (results) => {
    for (const h of results) console.log(h.route.padEnd(36), Math.round(h.requestsPerSecond), 'req/s p50', h.p50, 'p99', h.p99, 'non2xx', h.non2xx);
    process.exit(0);
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
