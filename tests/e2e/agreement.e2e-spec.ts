import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { krippendorffAlpha } from '../../src/review/krippendorff';
import { call, startTestApp, type TestApp } from '../support/app';
import { setup } from '../support/builders';

const run = promisify(execFile);
const CLI = join(__dirname, '../../dist/src/cli.js');
const KEYS = 'writer:alice:alice-key-0001,writer:bob:bob-key-00002,writer:carol:carol-key-003,admin:rita:rita-admin-key';
const KEY: Record<string, string> = { alice: 'alice-key-0001', bob: 'bob-key-00002', carol: 'carol-key-003', rita: 'rita-admin-key' };
const NID = 'coded-twice';
const ITEMS = 60;

interface Coding {
  coder: string;
  item: number;
  party: string;
  value: number;
  basis: 'quoted' | 'paraphrased';
}

/** Who codes what: two coders on every item, a third on ten; they differ now and then on value, basis and party. */
function codings(): Coding[] {
  const all: Coding[] = [];
  for (let i = 0; i < ITEMS; i++) {
    all.push({ coder: 'alice', item: i, party: 'us', value: (i * 7) % 101, basis: 'quoted' });
    all.push({ coder: 'bob', item: i, party: i % 10 === 0 ? 'russia' : 'us', value: i % 3 === 0 ? ((i * 7) % 101 + 20) % 101 : (i * 7) % 101, basis: i % 4 === 0 ? 'paraphrased' : 'quoted' });
    if (i < 10) all.push({ coder: 'carol', item: i, party: 'us', value: (i * 7) % 101, basis: 'quoted' });
  }
  return all;
}

describe("inter-coder agreement (Krippendorff's α) over double-coded news", () => {
  let app: TestApp;
  const as = (who: string, method: string, path: string, json?: unknown) => call(app.url, method, path, { key: KEY[who], ...(json === undefined ? {} : { json }) });

  beforeAll(async () => {
    app = await startTestApp({ PARLEY_API_KEYS: KEYS });
    expect((await as('rita', 'POST', `/negotiations/${NID}/events`, { events: setup() })).status).toBe(201);
    const news = await as('alice', 'POST', `/negotiations/${NID}/news`, { items: Array.from({ length: ITEMS }, (_, i) => ({ guid: `item-${i}`, title: `Crimea report ${i}`, publishedAt: '2025-04-20' })) });
    expect(news.status).toBe(201);
    const ids: string[] = news.body.items.map((item: { id: string }) => item.id);
    // Every item sampled for double coding: coders code blind.
    expect((await as('rita', 'PUT', `/negotiations/${NID}/review`, { required: true, doubleCoding: 1 })).body).toEqual({ required: true, doubleCoding: 1 });
    for (const c of codings()) {
      const event = { type: 'PositionStated', occurredAt: '2025-04-20T12:00:00Z', data: { party: c.party, issue: 'crimea', value: c.value, basis: c.basis }, source: { itemId: ids[c.item] } };
      const answer = await as(c.coder, 'POST', `/negotiations/${NID}/events`, { events: [event] });
      expect(answer.status).toBe(202);
    }
  });
  afterAll(() => app.close());

  it('answers α for values (interval), basis and assignment (nominal) as the verified α gives on the same units, with intervals', async () => {
    const answer = await as('rita', 'GET', `/negotiations/${NID}/agreement`);
    expect(answer.status).toBe(200);
    const data = codings();
    const cells = new Map<string, Coding[]>();
    for (const c of data) cells.set(`${c.item}/${c.party}`, [...(cells.get(`${c.item}/${c.party}`) ?? []), c]);
    const values = [...cells.values()].map((cs) => cs.map((c) => c.value));
    const bases = [...cells.values()].map((cs) => cs.map((c) => c.basis));
    const assignment = Array.from({ length: ITEMS }, (_, i) => data.filter((c) => c.item === i).map((c) => `${c.party}/crimea`));
    const expected = krippendorffAlpha(values, 'interval');
    const { body } = answer;
    expect(body.units).toBe(ITEMS);
    expect(body.coders).toEqual(['alice', 'bob', 'carol']);
    expect(body.alpha.value.estimate).toBeCloseTo(expected.alpha!, 10);
    expect(body.alpha.value.pairable).toBe(expected.pairable);
    expect(body.pairable).toBe(expected.pairable);
    expect(body.alpha.basis.estimate).toBeCloseTo(krippendorffAlpha(bases, 'nominal').alpha!, 10);
    expect(body.alpha.assignment.estimate).toBeCloseTo(krippendorffAlpha(assignment, 'nominal').alpha!, 10);
    for (const measure of ['value', 'basis', 'assignment']) {
      const { estimate, low, high } = body.alpha[measure];
      expect(low).toBeLessThanOrEqual(estimate);
      expect(high).toBeGreaterThanOrEqual(estimate);
    }
    // Percent agreement beside it, and every cell the coders disagree on, with who said what.
    const pairable = values.filter((v) => v.length >= 2);
    expect(body.percentAgreement).toBeCloseTo((pairable.filter((v) => new Set(v).size === 1).length / pairable.length) * 100, 10);
    expect(body.disagreements).toHaveLength(pairable.filter((v) => new Set(v).size > 1).length);
    expect(body.disagreements[0]).toMatchObject({ party: 'us', issue: 'crimea', codings: expect.arrayContaining([expect.objectContaining({ coder: 'bob' })]) });
  });

  it('per coder pair and per issue, and as CSV', async () => {
    const pairs = (await as('rita', 'GET', `/negotiations/${NID}/agreement?by=pair`)).body.groups;
    expect(pairs.map((g: { group: string }) => g.group)).toEqual(['alice+bob', 'alice+carol', 'bob+carol']);
    // Alice and Carol never differ.
    expect(pairs[1].value.estimate).toBe(1);
    expect(pairs[1].percentAgreement).toBe(100);
    const issues = (await as('rita', 'GET', `/negotiations/${NID}/agreement?by=issue`)).body.groups;
    expect(issues).toEqual([expect.objectContaining({ group: 'crimea' })]);
    const csv = await fetch(`${app.url}/negotiations/${NID}/agreement?by=pair&format=csv`, { headers: { authorization: `Bearer ${KEY.rita}` } });
    const rows: Record<string, string>[] = parse(await csv.text(), { columns: true });
    expect(rows.map((r) => `${r.group}:${r.measure}`)).toEqual(['all:value', 'all:basis', 'all:assignment', 'alice+bob:value', 'alice+carol:value', 'bob+carol:value']);
    expect(Number(rows[4]!.estimate)).toBe(1);
  });

  it('the CLI answers the same, as a table or --json', async () => {
    const env = { ...process.env, DATABASE_URL: app.database.url, LOG_LEVEL: 'silent' };
    const json = JSON.parse((await run('node', [CLI, 'agreement', '-n', NID, '--by', 'pair', '--json'], { env })).stdout);
    expect(json).toEqual((await as('rita', 'GET', `/negotiations/${NID}/agreement?by=pair`)).body);
    const table = (await run('node', [CLI, 'agreement', '-n', NID], { env })).stdout;
    expect(table).toMatch(/^60 items coded by two or more \(alice, bob, carol\)/);
    expect(table).toContain('assignment (nominal)');
    const bad = await run('node', [CLI, 'agreement', '-n', NID, '--by', 'coder'], { env }).catch((error: { code: number; stderr: string }) => error);
    expect(bad).toMatchObject({ code: 1, stderr: expect.stringMatching(/by/) });
  });

  it("codes blind: a coder sees another's proposal on a sampled item only after submitting their own; the reviewer sees all", async () => {
    const [item] = (await as('alice', 'POST', `/negotiations/${NID}/news`, { items: [{ guid: 'blind-1', title: 'Crimea, once more', publishedAt: '2025-04-21' }] })).body.items;
    const coding = (value: number) => ({ events: [{ type: 'PositionStated', occurredAt: '2025-04-21T12:00:00Z', data: { party: 'us', issue: 'crimea', value }, source: { itemId: item.id } }] });
    const alices = (await as('alice', 'POST', `/negotiations/${NID}/events`, coding(40))).body.proposal;
    const seen = async (who: string) => {
      const answer = (await as(who, 'GET', `/negotiations/${NID}/proposals?status=open`)).body;
      return { ids: answer.proposals.map((p: { id: string }) => p.id), hidden: answer.hidden };
    };
    expect((await seen('bob')).ids).not.toContain(alices);
    expect((await seen('bob')).hidden).toBeGreaterThanOrEqual(1);
    expect((await seen('alice')).ids).toContain(alices);
    expect((await seen('rita')).ids).toContain(alices);
    expect((await seen('rita')).hidden).toBe(0);
    const bobs = (await as('bob', 'POST', `/negotiations/${NID}/events`, coding(60))).body.proposal;
    expect((await seen('bob')).ids).toEqual(expect.arrayContaining([alices, bobs]));
    expect((await seen('carol')).ids).not.toContain(bobs);
    const listed = (await as('rita', 'GET', `/negotiations/${NID}/proposals?status=open`)).body.proposals.find((p: { id: string }) => p.id === alices);
    expect(listed.doubleCoded).toBe(true);
    // The reviewer adjudicates: one accepted, the other rejected with the reason; both recorded.
    expect((await as('rita', 'POST', `/negotiations/${NID}/proposals/${bobs}/accept`, {})).status).toBe(201);
    expect((await as('rita', 'POST', `/negotiations/${NID}/proposals/${alices}/reject`, { reason: 'adjudicated: the report says 60' })).status).toBe(200);
    // Decided proposals are visible to every coder.
    expect((await as('carol', 'GET', `/negotiations/${NID}/proposals?status=rejected`)).body.proposals).toEqual([expect.objectContaining({ id: alices, reason: 'adjudicated: the report says 60' })]);
  });

  it("names a cell's provenance in one request: event, coder, reviewer, proposal, every coding of its item, the item", async () => {
    const cell = (await as('alice', 'GET', `/negotiations/${NID}/provenance?party=us&issue=crimea&at=2025-04-21`)).body;
    expect(cell.stance).toMatchObject({ party: 'us', issue: 'crimea', value: 60 });
    expect(cell.event).toMatchObject({ id: cell.stance.eventId, codedBy: 'bob', reviewedBy: 'rita' });
    expect(cell.proposal).toMatchObject({ codedBy: 'bob', status: 'accepted', reviewedBy: 'rita', edited: false });
    expect(cell.codings.map((c: { codedBy: string; status: string }) => `${c.codedBy}:${c.status}`).sort()).toEqual(['alice:rejected', 'bob:accepted']);
    expect(cell.newsItem).toMatchObject({ title: 'Crimea, once more', publishedAt: expect.stringMatching(/^2025-04-21/) });
    expect(cell.amendments).toEqual([]);
    const empty = (await as('alice', 'GET', `/negotiations/${NID}/provenance?party=russia&issue=sanctions`)).body;
    expect(empty).toMatchObject({ stance: null, event: null, proposal: null, codings: [], newsItem: null });
    const bad = await as('alice', 'GET', `/negotiations/${NID}/provenance?party=us`);
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toEqual(['issue']);
  });

  it('names the bad parameter (400), and 404 for an unknown negotiation', async () => {
    const bad = await as('rita', 'GET', `/negotiations/${NID}/agreement?by=coder`);
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toEqual(['by']);
    expect((await as('rita', 'GET', '/negotiations/nowhere/agreement')).status).toBe(404);
  });
});
