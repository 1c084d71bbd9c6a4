// Scenario 7 of `npm run bench` alone: `npx tsc -p tsconfig.bench.json && node bench/fanout-only.js <clients> <seconds>`.
const { fanoutScenario } = require('../dist-bench/bench/fanout.js');
fanoutScenario(Number(process.argv[2] ?? 1000), Number(process.argv[3] ?? 10)).then(
  (result) => {
    console.log(JSON.stringify(result));
    process.exit(0);
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
