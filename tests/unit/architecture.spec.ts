import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { alertEventDefinitions } from '../../src/alerting/alert-rules';
import { negotiationEventTypes } from '../../src/negotiation/domain/events';

const ROOT = join(__dirname, '../..');
const DEPCRUISE = join(ROOT, 'node_modules/.bin/depcruise');
const config = require(join(ROOT, '.dependency-cruiser.cjs')) as { forbidden: { name: string }[]; options: Record<string, unknown> };

interface Violation {
  rule: { name: string };
}

/** Runs the project's rules over `files` (path → source), in a folder of their own. */
function violations(files: Record<string, string>): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'parley-lint-'));
  try {
    for (const [path, source] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), source);
    }
    // The same rules; resolution without the project's tsconfig (these files are plain imports).
    writeFileSync(join(dir, 'rules.cjs'), `module.exports = ${JSON.stringify({ forbidden: config.forbidden, options: { doNotFollow: { path: 'node_modules' } } })};`);
    writeFileSync(join(dir, 'package.json'), '{}');
    const roots = [...new Set(Object.keys(files).map((f) => f.split('/')[0]!))];
    let out: string;
    try {
      out = execFileSync(DEPCRUISE, [...roots, '--config', 'rules.cjs', '--output-type', 'json'], { cwd: dir, encoding: 'utf8' });
    } catch (error) {
      out = (error as { stdout: string }).stdout;
    }
    const result = JSON.parse(out) as { summary: { violations: Violation[] } };
    return [...new Set(result.summary.violations.map((v) => v.rule.name))];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const exporting = (name: string) => `export const ${name} = 1;\n`;
const importing = (from: string) => `import { v } from '${from}';\nexport const w = v;\n`;

/** For each rule, the smallest code that breaks it. */
const BREAKS: Record<string, Record<string, string>> = {
  'no-import-up-from-config': { 'src/config/a.ts': importing('../database/b'), 'src/database/b.ts': exporting('v') },
  'no-import-up-from-event-store': { 'src/event-store/a.ts': importing('../projection-runner/b'), 'src/projection-runner/b.ts': exporting('v') },
  'no-import-up-from-negotiation': { 'src/negotiation/reading/a.ts': importing('../../metrics/b'), 'src/metrics/b.ts': exporting('v') },
  'event-store-stands-alone': { 'src/event-store/a.ts': importing('../config/b'), 'src/config/b.ts': exporting('v') },
  'shared-is-the-ground-floor': { 'src/shared/a.ts': importing('../config/b'), 'src/config/b.ts': exporting('v') },
  'domain-is-pure': { 'src/negotiation/domain/a.ts': importing('../stances/b'), 'src/negotiation/stances/b.ts': exporting('v') },
  'runner-knows-no-context': { 'src/projection-runner/a.ts': importing('../alerting/b'), 'src/alerting/b.ts': exporting('v') },
  'negotiation-does-not-know-alerting': { 'src/negotiation/stances/a.ts': importing('../../news/b'), 'src/news/b.ts': exporting('v') },
  'nothing-imports-the-edges': { 'src/news/a.ts': importing('../http/b'), 'src/http/b.ts': exporting('v') },
  'no-sql-in-http': { 'src/http/a.ts': "import { sql } from 'kysely';\nexport const q = sql;\n", 'node_modules/kysely/index.js': 'exports.sql = 1;\n', 'node_modules/kysely/package.json': '{"name":"kysely","main":"index.js"}' },
  'migrations-frozen': { 'migrations/a.ts': importing('../src/config/b'), 'src/config/b.ts': exporting('v') },
  'no-circular': { 'src/news/a.ts': "import { y } from './b';\nexport const x = y;\n", 'src/news/b.ts': "import { x } from './a';\nexport const y = () => x;\n" },
};

describe('the architecture rules (npm run lint)', () => {
  it('hold for the code as it is', () => {
    let out = '';
    try {
      out = execFileSync(DEPCRUISE, ['src', 'migrations', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], { cwd: ROOT, encoding: 'utf8' });
    } catch (error) {
      out = (error as { stdout: string }).stdout;
    }
    const found = (JSON.parse(out) as { summary: { violations: Violation[] } }).summary.violations;
    expect(found.map((v) => JSON.stringify(v))).toEqual([]);
  });

  it.each(Object.entries(BREAKS))('fail when %s is broken on purpose', (rule, files) => {
    expect(violations(files)).toContain(rule);
  });

  it('have a deliberate breach for every rule (the floor rules share one shape: three of them are broken above)', () => {
    const covered = new Set(Object.keys(BREAKS));
    const uncovered = config.forbidden.map((r) => r.name).filter((name) => !covered.has(name));
    expect(uncovered.every((name) => name.startsWith('no-import-up-from-'))).toBe(true);
  });
});

describe('the dashboard', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : name.endsWith('.js') ? [join(dir, name)] : []));
  const scripts = files(join(ROOT, 'src/dashboard'));

  it('is small modules: no file over 250 lines', () => {
    const long = scripts.map((f) => [f.slice(ROOT.length + 1), readFileSync(f, 'utf8').split('\n').length] as const).filter(([, lines]) => lines > 250);
    expect(scripts.length).toBeGreaterThan(5);
    expect(long).toEqual([]);
  });

  it('keeps no list of event types of its own: the server generates them (/dashboard/event-types.js)', () => {
    const types = [...negotiationEventTypes, ...alertEventDefinitions.map((d) => d.type)];
    for (const file of scripts) {
      const text = readFileSync(file, 'utf8');
      const named = types.filter((type) => text.includes(`'${type}'`));
      // Naming a type or two it writes or shows (coding writes a PositionStated; an alert that
      // resolves is shown apart) is behaviour; three or more is a list restated.
      expect({ file: file.slice(ROOT.length + 1), named: named.length > 2 ? named : [] }).toEqual({ file: file.slice(ROOT.length + 1), named: [] });
    }
  });
});
