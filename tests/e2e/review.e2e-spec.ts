import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { call, startTestApp, type TestApp } from '../support/app';
import { party, setup, stated } from '../support/builders';
import { eventually, startReceiver } from '../support/receiver';
import { openSse } from '../support/sse';

const run = promisify(execFile);
const CLI = join(__dirname, '../../dist/src/cli.js');
const ALICE = 'alice-key-0001';
const BOB = 'bob-key-00002';
const RITA = 'rita-admin-key';
const KEYS = `writer:alice:${ALICE},writer:bob:${BOB},admin:rita:${RITA}`;
const NID = 'reviewed';

/**
 * Review before the record (contract v4): while a negotiation requires review, a writer's
 * append is a proposal, outside every read of the record, until an admin accepts it (edited or
 * not) or rejects it. Two coders and a reviewer run the loop over HTTP.
 */
describe('review before the record', () => {
  let app: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const as = (key: string, method: string, path: string, json?: unknown) => call(app.url, method, path, { key, ...(json === undefined ? {} : { json }) });
  const stances = async () => (await as(RITA, 'GET', `/negotiations/${NID}/stances`)).body.stances;
  const usOnCrimea = async () => (await stances()).find((x: { party: string; issue: string }) => x.party === 'us' && x.issue === 'crimea')?.value;
  /** Alerts as of a write: the projector (and alert evaluation) has passed every earlier position. */
  const alertsAfter = async (position: string | null) =>
    (await (await fetch(`${app.url}/negotiations/${NID}/alerts`, { headers: { authorization: `Bearer ${RITA}`, 'parley-min-position': position ?? '0' } })).json()).alerts;
  const open = async () => (await as(ALICE, 'GET', `/negotiations/${NID}/proposals?status=open`)).body.proposals;

  beforeAll(async () => {
    receiver = await startReceiver();
    app = await startTestApp({ PARLEY_API_KEYS: KEYS, PARLEY_WEBHOOK_ALLOW: '127.0.0.1' });
    expect((await as(RITA, 'POST', `/negotiations/${NID}/events`, { events: [...setup(), stated('russia', 'crimea', 100, '2025-04-01'), stated('us', 'crimea', 90, '2025-04-01')] })).status).toBe(201);
    const rule = await as(RITA, 'POST', `/negotiations/${NID}/alert-rules`, {
      name: 'apart',
      rule: { kind: 'gap_threshold', a: 'us', b: 'russia', issue: 'crimea', threshold: 50, direction: 'both' },
      webhook: { url: receiver.url },
    });
    expect(rule.status).toBe(201);
  });
  afterAll(async () => {
    await app.close();
    await receiver.close();
  });

  it('only an admin sets the requirement; a writer appends straight into the record until then', async () => {
    expect((await as(ALICE, 'PUT', `/negotiations/${NID}/review`, { required: true })).status).toBe(403);
    const unknown = await as(RITA, 'PUT', '/negotiations/nowhere/review', { required: true });
    expect(unknown.status).toBe(404);
    const bad = await as(RITA, 'PUT', `/negotiations/${NID}/review`, { required: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toEqual(['required']);
    expect((await as(RITA, 'PUT', `/negotiations/${NID}/review`, { required: true })).body).toEqual({ required: true, doubleCoding: 0 });
  });

  it("turns a writer's append into a proposal that no read of the record sees", async () => {
    const feed = await openSse(`${app.url}/feed?negotiation=${NID}&after=0&token=${(await as(RITA, 'POST', '/feed/tokens')).body.token}`);
    const version = (await as(RITA, 'GET', `/negotiations/${NID}`)).body.version;
    const answer = await as(ALICE, 'POST', `/negotiations/${NID}/events`, { events: [stated('us', 'crimea', 30, '2025-04-20')] });
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({ proposal: expect.any(String) });
    // An NDJSON import by a writer is a proposal too.
    const imported = await call(app.url, 'POST', `/negotiations/${NID}/events:import`, { key: BOB, body: JSON.stringify(stated('us', 'crimea', 70, '2025-04-20')), contentType: 'application/x-ndjson' });
    expect(imported.status).toBe(202);

    expect(await usOnCrimea()).toBe(90);
    expect((await as(RITA, 'GET', `/negotiations/${NID}`)).body.version).toBe(version);
    expect((await as(RITA, 'GET', `/negotiations/${NID}/events`)).body.events).toHaveLength(version);
    // Alice's 30 against Russia's 100 would cross the rule's 50: read after a later write, no firing.
    const later = await as(RITA, 'POST', '/negotiations/elsewhere/events', { events: setup() });
    expect(await alertsAfter(later.headers.get('parley-position'))).toEqual([]);
    const panel = await fetch(`${app.url}/negotiations/${NID}/panel?from=2025-04-20&to=2025-04-21&format=csv`, { headers: { authorization: `Bearer ${RITA}` } });
    const rows = await panel.text();
    expect(rows).toMatch(/,us,crimea,90,/);
    expect(rows).not.toMatch(/,us,crimea,(30|70),/);
    // The record's feed: up to a record event appended after the proposals, nothing of them.
    expect((await as(RITA, 'POST', `/negotiations/${NID}/events`, { events: [stated('ukraine', 'sanctions', 50, '2025-04-02')] })).status).toBe(201);
    await eventually(async () => feed.messages.some((m) => m.event === 'PositionStated' && JSON.parse(m.data).data.data.party === 'ukraine'), 'the later record event');
    feed.close();
    expect(feed.messages.map((m) => m.event)).not.toContain('ProposalSubmitted');

    // The whole log: proposals are there for reviewers only (coders code blind, readers read the record).
    const logAs = async (key: string) => (await as(key, 'GET', '/events?limit=1000')).body.events.map((e: { type: string }) => e.type);
    expect(await logAs(RITA)).toContain('ProposalSubmitted');
    expect(await logAs(BOB)).not.toContain('ProposalSubmitted');
    const paged = (await as(BOB, 'GET', `/events?after=${version}&limit=2`)).body;
    expect(paged.next).not.toBeNull();

    const queue = await open();
    expect(queue.map((p: { codedBy: string }) => p.codedBy)).toEqual(['alice', 'bob']);
    expect(queue[0]).toMatchObject({ status: 'open', events: [expect.objectContaining({ type: 'PositionStated', data: { party: 'us', issue: 'crimea', value: 30 } })] });
  });

  it("refuses a proposal that breaks the contract's rules when it is submitted (422, nothing stored)", async () => {
    const before = (await open()).length;
    const refused = await as(ALICE, 'POST', `/negotiations/${NID}/events`, { events: [stated('china', 'crimea', 10, '2025-04-20')] });
    expect(refused.status).toBe(422);
    expect(refused.body.issues[0].path).toEqual(['events', 0, 'data', 'party']);
    expect(await open()).toHaveLength(before);
  });

  it("accepts one proposal edited, rejects the other with a reason: the stance moves only at acceptance, with codedBy and reviewedBy", async () => {
    const [alices, bobs] = await open();
    const accepted = await as(RITA, 'POST', `/negotiations/${NID}/proposals/${alices.id}/accept`, { events: [stated('us', 'crimea', 35, '2025-04-20')] });
    expect(accepted.status).toBe(201);
    expect(accepted.body).toMatchObject({ proposal: alices.id, appended: 1 });
    expect(accepted.headers.get('parley-position')).toBe(String(accepted.body.events[0].globalPosition));
    expect(await usOnCrimea()).toBe(35);
    const entered = (await as(RITA, 'GET', `/negotiations/${NID}/events`)).body.events.at(-1);
    expect(entered).toMatchObject({ id: accepted.body.events[0].id, codedBy: 'alice', reviewedBy: 'rita', data: { value: 35 } });
    // The panel (JSON and CSV) and the party's history name the coder and the reviewer.
    const panel = (await as(RITA, 'GET', `/negotiations/${NID}/panel?from=2025-04-21&to=2025-04-21`)).body.rows;
    expect(panel.find((r: { party: string; issue: string }) => r.party === 'us' && r.issue === 'crimea')).toMatchObject({ value: 35, codedBy: 'alice', reviewedBy: 'rita' });
    const csv = await (await fetch(`${app.url}/negotiations/${NID}/panel?from=2025-04-21&to=2025-04-21&format=csv`, { headers: { authorization: `Bearer ${RITA}` } })).text();
    expect(csv.split('\n')[0]).toMatch(/,codedBy,reviewedBy$/);
    expect(csv).toMatch(/,us,crimea,35,.*,alice,rita\n/);
    const history = (await as(RITA, 'GET', `/negotiations/${NID}/parties/us/history`)).body.changes;
    expect(history.at(-1)).toMatchObject({ value: 35, codedBy: 'alice', reviewedBy: 'rita' });
    expect(history[0]).toMatchObject({ value: 90, codedBy: 'rita', reviewedBy: null });
    // Now 35 against Russia's 100: the gap crossed 50, and the rule fired on the accepted event.
    const alerts = await alertsAfter(accepted.headers.get('parley-position'));
    expect(alerts).toEqual([expect.objectContaining({ type: 'AlertFired', data: expect.objectContaining({ triggeringEvent: expect.objectContaining({ id: entered.id }) }) })]);

    const rejected = await as(RITA, 'POST', `/negotiations/${NID}/proposals/${bobs.id}/reject`, { reason: 'the report is about a different claim' });
    expect(rejected.body).toEqual({ proposal: bobs.id, status: 'rejected' });
    const again = await as(RITA, 'POST', `/negotiations/${NID}/proposals/${bobs.id}/accept`, {});
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: 'proposal_decided', status: 'rejected', reviewedBy: 'rita' });
    const kept = (await as(BOB, 'GET', `/negotiations/${NID}/proposals?status=rejected`)).body.proposals;
    expect(kept).toEqual([expect.objectContaining({ id: bobs.id, reason: 'the report is about a different claim', reviewedBy: 'rita' })]);
    expect((await as(BOB, 'GET', `/negotiations/${NID}/proposals?status=accepted`)).body.proposals).toEqual([
      expect.objectContaining({ id: alices.id, edited: true, accepted: [entered.id] }),
    ]);
    // Only admins decide.
    expect((await as(BOB, 'POST', `/negotiations/${NID}/proposals/${alices.id}/reject`, { reason: 'no' })).status).toBe(403);
    expect((await as(RITA, 'POST', `/negotiations/${NID}/proposals/00000000-0000-4000-8000-000000000000/accept`, {})).status).toBe(404);
  });

  it('checks a proposal again when it is accepted: the record may have moved since', async () => {
    const proposed = await as(ALICE, 'POST', `/negotiations/${NID}/events`, { events: [party('china')] });
    expect(proposed.status).toBe(202);
    // An admin appends straight into the record (review binds writers), adding the same party.
    expect((await as(RITA, 'POST', `/negotiations/${NID}/events`, { events: [party('china')] })).status).toBe(201);
    const accept = await as(RITA, 'POST', `/negotiations/${NID}/proposals/${proposed.body.proposal}/accept`, {});
    expect(accept.status).toBe(422);
    expect((await open()).map((p: { id: string }) => p.id)).toContain(proposed.body.proposal);
  });

  it('runs from the CLI too: list, accept (as a named reviewer), reject with a reason', async () => {
    const env = { ...process.env, DATABASE_URL: app.database.url, LOG_LEVEL: 'silent' };
    const first = (await as(ALICE, 'POST', `/negotiations/${NID}/events`, { events: [stated('ukraine', 'crimea', 5, '2025-04-23')] })).body.proposal;
    const second = (await as(BOB, 'POST', `/negotiations/${NID}/events`, { events: [stated('ukraine', 'crimea', 15, '2025-04-23')] })).body.proposal;
    const listed = JSON.parse((await run('node', [CLI, 'proposals', '-n', NID, '--json'], { env })).stdout).proposals.map((p: { id: string }) => p.id);
    expect(listed).toEqual(expect.arrayContaining([first, second]));
    const accepted = await run('node', [CLI, 'accept', first, '-n', NID, '--as', 'rita'], { env });
    expect(accepted.stdout).toMatch(new RegExp(`^${NID}: proposal ${first} accepted, 1 events appended`));
    await run('node', [CLI, 'reject', second, '-n', NID, '--reason', 'duplicate of alice'], { env });
    const entered = (await as(RITA, 'GET', `/negotiations/${NID}/events`)).body.events.at(-1);
    expect(entered).toMatchObject({ codedBy: 'alice', reviewedBy: 'rita', data: { party: 'ukraine', value: 5 } });
    const rejected = (await as(RITA, 'GET', `/negotiations/${NID}/proposals?status=rejected`)).body.proposals;
    expect(rejected).toEqual(expect.arrayContaining([expect.objectContaining({ id: second, reason: 'duplicate of alice' })]));
    const again = await run('node', [CLI, 'reject', second, '-n', NID, '--reason', 'twice'], { env }).catch((error: { code: number; stderr: string }) => error);
    expect(again).toMatchObject({ code: 1, stderr: expect.stringMatching(/rejected already/) });
  });

  it('lifting the requirement lets writers append straight again', async () => {
    expect((await as(RITA, 'PUT', `/negotiations/${NID}/review`, { required: false })).body).toEqual({ required: false, doubleCoding: 0 });
    const direct = await as(BOB, 'POST', `/negotiations/${NID}/events`, { events: [stated('us', 'crimea', 40, '2025-04-22')] });
    expect(direct.status).toBe(201);
    expect((await as(RITA, 'GET', `/negotiations/${NID}/events`)).body.events.at(-1)).toMatchObject({ codedBy: 'bob', reviewedBy: null });
  });
});
