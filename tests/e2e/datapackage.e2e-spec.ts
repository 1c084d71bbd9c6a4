import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { parse } from 'csv-parse/sync';
import { unzipSync, strFromU8 } from 'fflate';
import { startTestApp } from '../support/app';

/**
 * The panel as a Frictionless Tabular Data Package (issue 30): the descriptor validates against
 * the specifications' published JSON Schemas (kept in tests/fixtures/frictionless), and every
 * CSV row obeys the types its Table Schema declares. There is no Frictionless tool among our
 * packages; ajv is the validator, csv-parse the CSV reader.
 */
const profile = (name: string) => JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'frictionless', name), 'utf8'));

interface Field {
  name: string;
  type: string;
  format?: string;
  constraints?: { required?: boolean; enum?: string[] };
}
interface Resource {
  name: string;
  path: string;
  schema: { fields: Field[]; primaryKey: string[]; foreignKeys?: { fields: string[]; reference: { resource: string; fields: string[] } }[]; missingValues: string[] };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Why a cell does not obey its field (Table Schema's type rules, default formats), or null. */
function violation(field: Field, cell: string, missing: string[]): string | null {
  if (missing.includes(cell)) return field.constraints?.required ? 'required, but missing' : null;
  switch (field.type) {
    case 'number':
      return /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(cell) ? null : 'not a number';
    case 'integer':
      return /^-?\d+$/.test(cell) ? null : 'not an integer';
    case 'boolean':
      return ['true', 'false'].includes(cell) ? null : 'not true or false';
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(cell) && new Date(`${cell}T00:00:00Z`).toISOString().startsWith(cell) ? null : 'not a date';
    case 'datetime':
      return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(cell) && !Number.isNaN(Date.parse(cell)) ? null : 'not a datetime';
    case 'string':
      if (field.format === 'uuid' && !UUID.test(cell)) return 'not a uuid';
      if (field.format === 'uri' && !URL.canParse(cell)) return 'not a uri';
      if (field.constraints?.enum && !field.constraints.enum.includes(cell)) return `not one of ${field.constraints.enum.join(', ')}`;
      return null;
    default:
      return `unknown type ${field.type}`;
  }
}

describe('GET /negotiations/{nid}/panel?format=datapackage', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  // An editor hint of the specifications' JSON Schemas (a multi-line text box), not a constraint.
  ajv.addFormat('textarea', true);
  const validatePackage = ajv.compile(profile('tabular-data-package.json'));
  const validateTableSchema = ajv.compile(profile('table-schema.json'));

  beforeAll(async () => {
    app = await startTestApp({ PARLEY_LOAD_EXAMPLE: 'always' });
  });
  afterAll(() => app.close());

  async function zip(query: string): Promise<{ files: Record<string, string>; response: Response }> {
    const response = await fetch(`${app.url}/negotiations/ukraine-2025/panel?${query}&format=datapackage`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    const files = Object.fromEntries(Object.entries(unzipSync(new Uint8Array(await response.arrayBuffer()))).map(([name, bytes]) => [name, strFromU8(bytes)]));
    return { files, response };
  }

  it('is a valid Tabular Data Package whose every row obeys its Table Schema, and says what produced it', async () => {
    const query = 'from=2025-04-15&to=2025-04-30&step=P1D';
    const { files } = await zip(query);
    const root = 'ukraine-2025-panel';
    const descriptor = JSON.parse(files[`${root}/datapackage.json`]!);
    expect(validatePackage(descriptor) ? [] : validatePackage.errors).toEqual([]);

    // What produced it: the record's version and the hash a citation names, knownAt, publicAt, the points.
    const cited = await (await fetch(`${app.url}/negotiations/ukraine-2025/versions/20`)).json();
    expect(descriptor.parley).toEqual({
      negotiation: 'ukraine-2025',
      version: 20,
      sha256: cited.sha256,
      citation: cited.citation,
      knownAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      publicAt: null,
      periods: 'start',
      corrections: 'known',
      from: '2025-04-15T23:59:59.999Z',
      to: '2025-04-30T23:59:59.999Z',
      step: 'P1D',
      points: 16,
    });
    expect(descriptor.sources).toEqual([{ title: cited.citation }]);

    const resources = descriptor.resources as Resource[];
    expect(resources.map((r) => r.name)).toEqual(['panel', 'issues', 'scale-labels', 'parties']);
    const tables: Record<string, Record<string, string>[]> = {};
    for (const resource of resources) {
      expect([resource.name, validateTableSchema(resource.schema) ? [] : validateTableSchema.errors]).toEqual([resource.name, []]);
      const text = files[`${root}/${resource.path}`]!;
      const [header, ...rows] = parse(text) as string[][];
      expect(header).toEqual(resource.schema.fields.map((f) => f.name));
      const problems: string[] = [];
      rows.forEach((row, line) =>
        resource.schema.fields.forEach((field, column) => {
          const why = violation(field, row[column]!, resource.schema.missingValues);
          if (why) problems.push(`${resource.path} row ${line + 1} ${field.name}=${JSON.stringify(row[column])}: ${why}`);
        }),
      );
      expect(problems).toEqual([]);
      tables[resource.name] = parse(text, { columns: true }) as Record<string, string>[];
      // The primary key is unique.
      const keys = tables[resource.name]!.map((r) => resource.schema.primaryKey.map((k) => r[k]).join('|'));
      expect(new Set(keys).size).toBe(keys.length);
    }
    // Foreign keys resolve.
    for (const resource of resources) {
      for (const fk of resource.schema.foreignKeys ?? []) {
        const known = new Set(tables[fk.reference.resource]!.map((r) => r[fk.reference.fields[0]!]));
        expect(tables[resource.name]!.filter((r) => !known.has(r[fk.fields[0]!]))).toEqual([]);
      }
    }

    // A balanced panel: every point × party × issue, NA where no stance is held, and the stances
    // equal the JSON panel's rows for the same question.
    const panel = tables.panel!;
    expect(panel).toHaveLength(16 * tables.parties!.length * tables.issues!.length);
    const json = await (await fetch(`${app.url}/negotiations/ukraine-2025/panel?${query}`)).json();
    const held = panel.filter((r) => r.value !== 'NA');
    expect(held.length).toBe(json.rows.length);
    expect(panel.length).toBeGreaterThan(held.length);
    const byCell = new Map(json.rows.map((r: { at: string; party: string; issue: string }) => [`${r.at.slice(0, 10)}|${r.party}|${r.issue}`, r]));
    for (const row of held) {
      const expected = byCell.get(`${row.at}|${row.party}|${row.issue}`) as { value: number; eventId: string; salience: number | null };
      expect([row.at, row.party, row.issue, Number(row.value), row.eventId, row.salience === 'NA' ? null : Number(row.salience)]).toEqual([
        row.at, row.party, row.issue, expected.value, expected.eventId, expected.salience,
      ]);
    }
    // The codebook holds the scales' labels.
    const crimea = tables.issues!.find((i) => i.issue === 'crimea')!;
    expect(crimea).toMatchObject({ scaleMin: '0', scaleMax: '100' });
    expect(crimea.minLabel).not.toBe('NA');
    expect(tables['scale-labels']!.filter((l) => l.issue === 'crimea').length).toBeGreaterThanOrEqual(2);
  });

  it('is what `parley panel --format datapackage` writes, file for file (but the time it was made)', async () => {
    const knownAt = (await (await fetch(`${app.url}/negotiations/ukraine-2025/stances`)).json()).knownAt as string;
    const query = `from=2025-04-15&to=2025-04-30&step=P1D&knownAt=${encodeURIComponent(knownAt)}`;
    const { files: http } = await zip(query);
    const out = join(mkdtempSync(join(tmpdir(), 'parley-package-')), 'panel.zip');
    await promisify(execFile)('node', [join(__dirname, '../../dist/src/cli.js'), 'panel', '-n', 'ukraine-2025', '--from', '2025-04-15', '--to', '2025-04-30', '--known-at', knownAt, '--format', 'datapackage', '-o', out], {
      env: { ...process.env, DATABASE_URL: app.database.url, LOG_LEVEL: 'silent' },
    });
    const cli = Object.fromEntries(Object.entries(unzipSync(new Uint8Array(readFileSync(out)))).map(([name, bytes]) => [name, strFromU8(bytes)]));
    const made = (text: string) => text.replace(/"created": "[^"]+"/, '"created": "…"');
    expect(Object.keys(cli).sort()).toEqual(Object.keys(http).sort());
    for (const name of Object.keys(http)) expect([name, made(cli[name]!)]).toEqual([name, made(http[name]!)]);
  });

  it('writes `at` as an instant when the points are not ends of days, and refuses an unknown format naming the field', async () => {
    const { files } = await zip('from=2025-04-20T12:00:00Z&to=2025-04-24T12:00:00Z&step=P2D');
    const descriptor = JSON.parse(files['ukraine-2025-panel/datapackage.json']!);
    expect(validatePackage(descriptor) ? [] : validatePackage.errors).toEqual([]);
    expect(descriptor.resources[0].schema.fields[0]).toMatchObject({ name: 'at', type: 'datetime' });
    const [header, first] = parse(files['ukraine-2025-panel/data/panel.csv']!) as string[][];
    expect([header![0], first![0]]).toEqual(['at', '2025-04-20T12:00:00.000Z']);

    const bad = await fetch(`${app.url}/negotiations/ukraine-2025/panel?from=2025-04-20&to=2025-04-24&format=parquet`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).issues[0].path).toEqual(['format']);
  });
});
