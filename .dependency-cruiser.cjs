/** Architecture rules checked by `npm run lint` (STYLE.md, habit 5). */
module.exports = {
  forbidden: [
    {
      name: 'pure-core',
      comment: 'The domain and the event store know nothing of Nest, HTTP or the CLI; their Nest wiring lives in *.module.ts and command handlers.',
      severity: 'error',
      from: {
        path: '^src/(negotiation|event-store|projections)/',
        pathNot: ['\\.module\\.ts$', '^src/negotiation/commands/', '^src/negotiation/example-dataset\\.ts$', '\\.service\\.ts$'],
      },
      to: { path: ['^node_modules/@nestjs/', '^src/(http|cli|live)/', '^src/main\\.ts$', '^src/cli\\.ts$'] },
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
