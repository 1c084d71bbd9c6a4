/**
 * Architecture rules checked by `npm run lint`: each boundary of docs/architecture.md, with no
 * carve-outs. Folders import downwards only.
 */
const CONTEXTS = '^src/(negotiation|alerting|feed|news|metrics|outbound)/';

/**
 * The floors, ground first: a folder may import its own floor and those below, never one
 * above. (Within a floor, the rules further down say who may import whom.)
 */
const FLOORS = [
  ['shared'],
  ['config'],
  ['database'],
  ['event-store'],
  ['projection-runner', 'outbound'],
  ['negotiation'],
  ['alerting', 'news', 'feed', 'metrics', 'examples'],
  ['http', 'cli'],
];
const floorRules = FLOORS.slice(0, -1).map((floor, index) => ({
  name: `no-import-up-from-${floor.join('-')}`,
  comment: `${floor.join(', ')} may not import a floor above it (${FLOORS.slice(index + 1).flat().join(', ')}) or the entries.`,
  severity: 'error',
  from: { path: `^src/(${floor.join('|')})/` },
  to: { path: [`^src/(${FLOORS.slice(index + 1).flat().join('|')})/`, '^src/[^/]+\\.ts$'] },
}));

module.exports = {
  forbidden: [
    ...floorRules,
    {
      name: 'event-store-stands-alone',
      comment: 'The event store knows nothing of negotiations, projections, Nest wiring above it or HTTP: only the database connection.',
      severity: 'error',
      from: { path: '^src/event-store/', pathNot: '\\.module\\.ts$' },
      to: { path: '^src/', pathNot: ['^src/event-store/', '^src/database/', '^src/shared/'] },
    },
    {
      name: 'shared-is-the-ground-floor',
      comment: 'src/shared holds what every layer may use (pacing long work); it imports nothing of the app.',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { path: '^src/', pathNot: '^src/shared/' },
    },
    {
      name: 'domain-is-pure',
      comment: 'negotiation/domain holds events, stream names, state and rules: zod and event-store types only, no Nest, no database.',
      severity: 'error',
      from: { path: '^src/negotiation/domain/' },
      to: { path: ['^node_modules/@nestjs/', '^node_modules/kysely', '^node_modules/pg', '^src/'], pathNot: ['^src/negotiation/domain/', '^src/event-store/(types|event-registry|errors)\\.ts$', '^src/shared/'] },
    },
    {
      name: 'runner-knows-no-context',
      comment: 'The projection runner runs whatever projections it is given; it imports no context.',
      severity: 'error',
      from: { path: '^src/projection-runner/' },
      to: { path: [CONTEXTS, '^src/(http|cli)/'] },
    },
    {
      name: 'negotiation-does-not-know-alerting',
      comment: 'Alerting reads negotiations (their public read modules); negotiations never depend on alerting, the feed or news.',
      severity: 'error',
      from: { path: '^src/negotiation/' },
      to: { path: '^src/(alerting|feed|news)/' },
    },
    {
      name: 'nothing-imports-the-edges',
      comment: 'HTTP and the CLI are edges: they import the contexts, never the reverse. Only the entries (main, cli, server, app.module) wire them.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/(http|cli)/', '^src/(main|cli|server|app\\.module)\\.ts$'] },
      to: { path: ['^src/(http|cli)/', '^src/(cli|server)\\.ts$'] },
    },
    {
      name: 'no-sql-in-http',
      comment: 'Controllers parse, dispatch and format: every query lives in the context (or database/) that owns its tables.',
      severity: 'error',
      from: { path: '^src/http/' },
      to: { path: ['^node_modules/kysely', '^node_modules/pg/', '^node_modules/pg$'] },
    },
    {
      name: 'migrations-frozen',
      comment: 'Migrations never import application code: they describe the schema as it was.',
      severity: 'error',
      from: { path: '^migrations/' },
      to: { path: '^src/' },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
