import { pairGap, pairsOf } from '../../src/negotiation/analysis/gaps';
import { outcomes } from '../../src/negotiation/analysis/outcomes';
import type { NegotiationEvent } from '../../src/negotiation/domain/events';
import type { KnownIssue, KnownParty } from '../../src/negotiation/stances/stance.repository';
import { call, startTestApp, type TestApp } from '../support/app';
import { branchLog, redLinesAsOf, stancesAsOf } from '../support/as-of-reference';
import { corrected, issue, outcome, party, redLine, setup, stated } from '../support/builders';
import { openSse, type SseClient } from '../support/sse';

const NID = 'whatif';
const KNOWN = '2099-01-01T00:00:00.000Z';
/** The record's reads a branch must leave alone, with a fixed knownAt so their bytes can be compared. */
const RECORD_READS = [
  `/negotiations/${NID}?knownAt=${KNOWN}`,
  `/negotiations/${NID}/stances?at=2025-04-20&knownAt=${KNOWN}`,
  `/negotiations/${NID}/stances?at=2025-05-30&knownAt=${KNOWN}`,
  `/negotiations/${NID}/gaps?at=2025-05-30&knownAt=${KNOWN}`,
  `/negotiations/${NID}/outcomes?at=2025-05-30&knownAt=${KNOWN}&model=compromise`,
  `/negotiations/${NID}/outcomes?at=2025-05-30&knownAt=${KNOWN}&model=weighted-median`,
  `/negotiations/${NID}/zones?at=2025-05-30&knownAt=${KNOWN}`,
  `/negotiations/${NID}/gaps/series?between=us,russia&from=2025-04-01&to=2025-06-01&knownAt=${KNOWN}`,
  `/negotiations/${NID}/panel?from=2025-04-01&to=2025-06-01&step=P7D&knownAt=${KNOWN}`,
  `/negotiations/${NID}/panel?from=2025-04-01&to=2025-06-01&step=P7D&knownAt=${KNOWN}&format=csv`,
  `/negotiations/${NID}/parties/us/history?knownAt=${KNOWN}`,
  `/negotiations/${NID}/events`,
];

interface WireEvent {
  id: string;
  negotiation: string;
  type: string;
  occurredAt: string;
  recordedAt: string;
  data: unknown;
  source: NegotiationEvent['source'] | null;
  globalPosition: number;
  streamVersion: number;
  datePrecision: NegotiationEvent['datePrecision'];
}

const asEvent = (e: WireEvent) =>
  ({
    id: e.id,
    type: e.type,
    data: e.data,
    occurredAt: new Date(e.occurredAt),
    recordedAt: new Date(e.recordedAt),
    globalPosition: e.globalPosition,
    streamVersion: e.streamVersion,
    ...(e.source ? { source: e.source } : {}),
    datePrecision: e.datePrecision,
  }) as NegotiationEvent;

/** The client's messages once `done` holds of them (polled; at most 10 s). */
async function until(client: SseClient, done: (messages: SseClient['messages']) => boolean): Promise<SseClient['messages']> {
  for (const deadline = Date.now() + 10_000; !done(client.messages); ) {
    if (Date.now() > deadline) throw new Error(`the feed sent ${client.messages.length} messages, not the awaited one`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return client.messages;
}

/** Dates in answers are strings: the reference's, serialized the same way. */
const wire = <T>(value: T): unknown => JSON.parse(JSON.stringify(value));

describe('scenario branches', () => {
  let app: TestApp;
  const as = (method: string, path: string, json?: unknown) => call(app.url, method, path, json === undefined ? {} : { json });
  const raw = async (path: string) => {
    const response = await fetch(`${app.url}${path}`);
    return `${response.status} ${await response.text()}`;
  };
  /** The whole log as stored, split into the record's events and one branch's. */
  const logOf = async (scenario: string) => {
    const events: WireEvent[] = [];
    for (let after = 0; ; ) {
      const page = (await as('GET', `/events?after=${after}&limit=1000`)).body;
      events.push(...page.events);
      if (page.next === null) break;
      after = page.next;
    }
    return {
      record: events.filter((e) => e.negotiation === NID).map(asEvent),
      branch: events.filter((e) => e.negotiation === `${NID}.scenario.${scenario}` && !e.type.startsWith('Scenario')).map(asEvent),
    };
  };
  const known = async (scenario?: string) => {
    const details = (await as('GET', `/negotiations/${NID}?knownAt=${KNOWN}${scenario ? `&scenario=${scenario}` : ''}`)).body;
    return { parties: details.parties as KnownParty[], issues: details.issues as KnownIssue[] };
  };
  let before: string[];
  let usEarly: string;

  beforeAll(async () => {
    app = await startTestApp();
    const first = await as('POST', `/negotiations/${NID}/events`, {
      events: [
        ...setup(),
        party('eu', { capability: 0.5 }),
        issue('nato', { min: 0, max: 10 }),
        stated('us', 'crimea', 80, '2025-04-05', { salience: 0.9 }),
        stated('russia', 'crimea', 100, '2025-04-05'),
        stated('ukraine', 'crimea', 0, '2025-04-05', { salience: 1 }),
        stated('russia', 'nato', 0, '2025-04-12'),
        stated('ukraine', 'nato', 10, '2025-04-12'),
        stated('us', 'nato', 5, '2025-04-25'),
        redLine('ukraine', 'crimea', { max: 40 }, '2025-04-06'),
        stated('eu', 'crimea', 20, '2025-05-02'),
        stated('us', 'crimea', 70, '2025-05-20'),
      ],
    });
    expect(first.status).toBe(201);
    usEarly = first.body.events[8].id;
    // A correction recorded later: the record's reads apply it from its recordedAt on.
    expect((await as('POST', `/negotiations/${NID}/events`, { events: [corrected(usEarly, { party: 'us', issue: 'crimea', value: 85, salience: 0.9 }, '2025-05-21')] })).status).toBe(201);
    before = await Promise.all(RECORD_READS.map(raw));
  });
  afterAll(() => app.close());

  it('opens a branch, takes hypothetical events with the record’s checks, and refuses what is not hypothetical', async () => {
    const opened = await as('POST', `/negotiations/${NID}/scenarios`, { name: 'us-defers', description: 'Hypothetical: the US accepts deferring Crimea' });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ name: 'us-defers', status: 'open', until: null, from: null, events: 0, description: 'Hypothetical: the US accepts deferring Crimea' });
    const head = (await as('GET', `/events?limit=1000`)).body.events.filter((e: WireEvent) => e.negotiation === NID).at(-1).globalPosition;
    expect(opened.body.base).toBe(head);

    // Bad input: 400 naming the field, nothing written.
    const bad = await as('POST', `/negotiations/${NID}/scenarios/us-defers/events`, { events: [stated('us', 'crimea', 'much' as never, '2025-05-25')] });
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toEqual(['events', 0, 'data', 'value']);
    // The record's rules: an unknown party is a 422 at its path.
    const unknown = await as('POST', `/negotiations/${NID}/scenarios/us-defers/events`, { events: [stated('china', 'crimea', 50, '2025-05-25')] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.issues[0]).toMatchObject({ code: 'NEGOTIATION.UNKNOWN_PARTY', path: ['events', 0, 'data', 'party'] });
    // A branch corrects only its own events, and holds no outcomes.
    const onRecord = await as('POST', `/negotiations/${NID}/scenarios/us-defers/events`, { events: [corrected(usEarly, { party: 'us', issue: 'crimea', value: 10 }, '2025-05-25')] });
    expect(onRecord.status).toBe(422);
    expect(onRecord.body.issues[0]).toMatchObject({ code: 'SCENARIO.RECORD_TARGET', path: ['events', 0, 'data', 'target'] });
    const settled = await as('POST', `/negotiations/${NID}/scenarios/us-defers/events`, { events: [outcome('crimea', 50, '2025-05-25')] });
    expect(settled.status).toBe(422);
    expect(settled.body.issues[0]).toMatchObject({ code: 'SCENARIO.NOT_HYPOTHETICAL', path: ['events', 0, 'type'] });
    expect((await as('GET', `/negotiations/${NID}/scenarios/us-defers`)).body.events).toBe(0);

    // Two hypothetical positions, one dated in the future (a branch judges against no clock).
    const appended = await as('POST', `/negotiations/${NID}/scenarios/us-defers/events`, {
      events: [stated('us', 'crimea', 40, '2025-05-25', { salience: 0.5 }), stated('russia', 'nato', 4, '2031-01-01')],
    });
    expect(appended.status).toBe(201);
    expect(appended.body.streamVersion).toBe(3);
    expect(appended.headers.get('parley-position')).toBe(String(appended.body.events[1].globalPosition));
    expect((await as('GET', `/negotiations/${NID}/scenarios/us-defers`)).body).toMatchObject({ events: 2, version: 3 });
  });

  it('leaves every read of the record byte-identical, and equal to the reference fold', async () => {
    expect(await Promise.all(RECORD_READS.map(raw))).toEqual(before);
    const { record } = await logOf('us-defers');
    for (const at of ['2025-04-20', '2025-05-30']) {
      const asOf = { at: new Date(`${at}T23:59:59.999Z`), knownAt: new Date(KNOWN) };
      const answer = (await as('GET', `/negotiations/${NID}/stances?at=${at}&knownAt=${KNOWN}`)).body;
      expect(answer.scenario).toBeUndefined();
      expect(answer.stances).toEqual(wire(stancesAsOf(record, asOf)));
    }
  });

  it('answers record + branch on every as-of read that names it, as the reference fold does', async () => {
    const { record, branch } = await logOf('us-defers');
    const info = (await as('GET', `/negotiations/${NID}/scenarios/us-defers`)).body;
    const { events, visible } = branchLog(record, branch, info.base, null);
    const { parties, issues } = await known('us-defers');
    for (const at of ['2025-05-30', '2031-06-01']) {
      const asOf = { at: new Date(`${at}T23:59:59.999Z`), knownAt: new Date(KNOWN) };
      const expected = stancesAsOf(events, asOf, visible);
      const stances = (await as('GET', `/negotiations/${NID}/stances?at=${at}&knownAt=${KNOWN}&scenario=us-defers`)).body;
      expect(stances.scenario).toBe('us-defers');
      expect(stances.stances.map(({ hypothetical, ...s }: { hypothetical: boolean }) => s)).toEqual(wire(expected));
      expect(stances.stances.filter((s: { hypothetical: boolean }) => s.hypothetical).map((s: { eventId: string }) => s.eventId).sort()).toEqual(
        branch.filter((e) => e.occurredAt <= asOf.at).map((e) => e.id).sort(),
      );
      const gaps = (await as('GET', `/negotiations/${NID}/gaps?at=${at}&knownAt=${KNOWN}&scenario=us-defers`)).body;
      expect(gaps.scenario).toBe('us-defers');
      expect(gaps.pairs).toEqual(wire(pairsOf(parties.map((p) => p.party).sort()).map(([a, b]) => pairGap(a, b, expected, issues))));
      for (const model of ['compromise', 'weighted-median'] as const) {
        const answer = (await as('GET', `/negotiations/${NID}/outcomes?at=${at}&knownAt=${KNOWN}&model=${model}&scenario=us-defers`)).body;
        expect(answer.scenario).toBe('us-defers');
        expect(answer.outcomes).toEqual(wire(outcomes(model, parties, issues, expected, redLinesAsOf(events, asOf, visible))));
      }
    }
    // The hypothetical US stance moved the branch's gaps, not the record's.
    const recordGap = (await as('GET', `/negotiations/${NID}/gaps?at=2025-05-30&knownAt=${KNOWN}&between=us,ukraine`)).body.pairs[0].overall;
    const branchGap = (await as('GET', `/negotiations/${NID}/gaps?at=2025-05-30&knownAt=${KNOWN}&between=us,ukraine&scenario=us-defers`)).body.pairs[0].overall;
    expect(branchGap).toBeLessThan(recordGap);
    // Series and the panel say so too; the panel marks the hypothetical rows, CSV carries the header.
    const series = await as('GET', `/negotiations/${NID}/gaps/series?between=us,russia&from=2025-05-01&to=2025-06-01&knownAt=${KNOWN}&scenario=us-defers`);
    expect(series.body.scenario).toBe('us-defers');
    const panel = (await as('GET', `/negotiations/${NID}/panel?from=2025-05-26&to=2025-05-26&knownAt=${KNOWN}&scenario=us-defers`)).body;
    expect(panel.scenario).toBe('us-defers');
    expect(panel.rows.filter((r: { hypothetical: boolean }) => r.hypothetical).map((r: { party: string; issue: string }) => `${r.party}/${r.issue}`)).toEqual(['us/crimea']);
    const csv = await fetch(`${app.url}/negotiations/${NID}/panel?from=2025-05-26&to=2025-05-26&knownAt=${KNOWN}&scenario=us-defers&format=csv`);
    expect(csv.headers.get('parley-scenario')).toBe('us-defers');
    expect((await csv.text()).split('\n')[0]).toContain('hypothetical');
  });

  it('diffs a branch against the record exactly as the reference fold computes both', async () => {
    const { record, branch } = await logOf('us-defers');
    const info = (await as('GET', `/negotiations/${NID}/scenarios/us-defers`)).body;
    const { events, visible } = branchLog(record, branch, info.base, null);
    const asOf = { at: new Date('2025-05-30T23:59:59.999Z'), knownAt: new Date(KNOWN) };
    const recordStances = stancesAsOf(record, asOf);
    const branchStances = stancesAsOf(events, asOf, visible);
    const { parties, issues } = await known('us-defers');
    const diff = (await as('GET', `/negotiations/${NID}/scenarios/us-defers/diff?at=2025-05-30&knownAt=${KNOWN}&between=us,russia,ukraine`)).body;
    expect(diff.scenario).toBe('us-defers');
    expect(diff.difference.stances).toEqual([
      { party: 'us', issue: 'crimea', hypothetical: true, record: 70, branch: 40, change: -30 },
    ]);
    const pairs = pairsOf(['us', 'russia', 'ukraine']);
    expect(diff.difference.pairs.map((p: { a: string; b: string; overall: { change: number | null } }) => [p.a, p.b, p.overall.change])).toEqual(
      pairs.map(([a, b]) => {
        const r = pairGap(a, b, recordStances, issues).overall;
        const x = pairGap(a, b, branchStances, issues).overall;
        return [a, b, r === null || x === null ? null : x - r];
      }),
    );
    for (const model of ['compromise', 'weighted-median'] as const) {
      const r = outcomes(model, parties, issues, recordStances, redLinesAsOf(record, asOf));
      const x = outcomes(model, parties, issues, branchStances, redLinesAsOf(events, asOf, visible));
      for (const o of diff.difference.outcomes.filter((d: { model: string }) => d.model === model)) {
        const before = r.find((y) => y.issue === o.issue)?.outcome ?? null;
        const after = x.find((y) => y.issue === o.issue)?.outcome ?? null;
        expect(o).toEqual({ issue: o.issue, model, record: before, branch: after, change: before === null || after === null ? null : after - before });
      }
    }
    const crimea = diff.difference.outcomes.find((d: { issue: string; model: string }) => d.issue === 'crimea' && d.model === 'compromise');
    expect(crimea.change).toBeLessThan(0);
    expect(diff.record.pairs).toEqual(wire(pairs.map(([a, b]) => pairGap(a, b, recordStances, issues))));
  });

  it('forks at a date: the record after it is not the branch’s', async () => {
    const opened = await as('POST', `/negotiations/${NID}/scenarios`, { name: 'april', from: '2025-04-30' });
    expect(opened.status).toBe(201);
    expect(opened.body.until).toBe('2025-04-30T23:59:59.999Z');
    expect((await as('POST', `/negotiations/${NID}/scenarios/april/events`, { events: [stated('eu', 'crimea', 60, '2025-05-10')] })).status).toBe(201);
    const { record, branch } = await logOf('april');
    const { events, visible } = branchLog(record, branch, opened.body.base, new Date(opened.body.until));
    const asOf = { at: new Date('2025-05-30T23:59:59.999Z'), knownAt: new Date(KNOWN) };
    const stances = (await as('GET', `/negotiations/${NID}/stances?at=2025-05-30&knownAt=${KNOWN}&scenario=april`)).body.stances;
    expect(stances.map(({ hypothetical, ...s }: { hypothetical: boolean }) => s)).toEqual(wire(stancesAsOf(events, asOf, visible)));
    // The US statement of 20 May is the record's after the fork: the branch keeps the April one.
    expect(stances.find((s: { party: string; issue: string }) => s.party === 'us' && s.issue === 'crimea').value).toBe(85);
    expect(stances.find((s: { party: string; issue: string }) => s.party === 'eu' && s.issue === 'crimea')).toMatchObject({ value: 60, hypothetical: true });
  });

  it('keeps branches out of the record’s feed and alerts unless asked', async () => {
    const rule = await as('POST', `/negotiations/${NID}/alert-rules`, { name: 'close', rule: { kind: 'gap_threshold', a: 'us', b: 'ukraine', issue: 'crimea', threshold: 30, direction: 'down' } });
    expect(rule.status).toBe(201);
    const token = (await as('POST', '/feed/tokens')).body.token;
    const plain = await openSse(`${app.url}/feed?negotiation=${NID}&token=${token}`);
    const asked = await openSse(`${app.url}/feed?negotiation=${NID}&scenario=us-defers&token=${token}`);
    // The US comes within 30 of Ukraine in the branch (10 − 0): no alert fires for a branch.
    const hypothetical = await as('POST', `/negotiations/${NID}/scenarios/us-defers/events`, { events: [stated('us', 'crimea', 10, '2025-05-28')] });
    expect(hypothetical.status).toBe(201);
    const real = await as('POST', `/negotiations/${NID}/events`, { events: [stated('russia', 'nato', 1, '2025-05-28')] });
    const [hypotheticalId, realId] = [hypothetical.body.events[0].id, real.body.events[0].id];
    const seenAsked = await until(asked, (frames) => frames.some((f) => f.data.includes(realId)));
    expect(seenAsked.some((f) => f.data.includes(hypotheticalId))).toBe(true);
    const seenPlain = await until(plain, (frames) => frames.some((f) => f.data.includes(realId)));
    expect(seenPlain.some((f) => f.data.includes(hypotheticalId))).toBe(false);
    plain.close();
    asked.close();
    const alerts = await fetch(`${app.url}/negotiations/${NID}/alerts`, { headers: { 'parley-min-position': String(real.body.events[0].globalPosition) } });
    expect((await alerts.json()).alerts).toEqual([]);
    // A scenario without its negotiation is refused.
    expect((await as('GET', `/feed?scenario=us-defers`)).status).toBe(400);
  });

  it('rebases onto a newer record, refusing a branch that no longer fits', async () => {
    expect((await as('POST', `/negotiations/${NID}/scenarios`, { name: 'china-joins' })).status).toBe(201);
    expect((await as('POST', `/negotiations/${NID}/scenarios/china-joins/events`, { events: [party('china'), stated('china', 'crimea', 90, '2025-05-29')] })).status).toBe(201);
    const stale = (await as('GET', `/negotiations/${NID}/scenarios/us-defers`)).body;
    const later = await as('POST', `/negotiations/${NID}/events`, { events: [party('china', {}, '2025-05-30'), stated('ukraine', 'nato', 9, '2025-05-30')] });
    expect(later.status).toBe(201);
    // The record has added China since: the branch that adds it too cannot move there.
    const refused = await as('POST', `/negotiations/${NID}/scenarios/china-joins/rebase`, {});
    expect(refused.status).toBe(422);
    expect(refused.body.issues[0]).toMatchObject({ code: 'NEGOTIATION.DUPLICATE_PARTY', path: ['hypothetical', 0, 'data', 'party'] });
    // The other branch moves, and sees the newer record.
    const rebased = await as('POST', `/negotiations/${NID}/scenarios/us-defers/rebase`, {});
    expect(rebased.status).toBe(200);
    expect(rebased.body.base).toBe(later.body.events[1].globalPosition);
    expect(rebased.body.base).toBeGreaterThan(stale.base);
    expect(rebased.body.rebasedAt).not.toBeNull();
    const nato = (await as('GET', `/negotiations/${NID}/stances?at=2025-06-01&knownAt=${KNOWN}&scenario=us-defers`)).body.stances;
    expect(nato.find((s: { party: string; issue: string }) => s.party === 'ukraine' && s.issue === 'nato').value).toBe(9);
  });

  it('rebuilds every projection to the same record and branch answers', async () => {
    const reads = [
      ...RECORD_READS,
      `/negotiations/${NID}/stances?at=2025-06-01&knownAt=${KNOWN}&scenario=us-defers`,
      `/negotiations/${NID}/stances?at=2025-06-01&knownAt=${KNOWN}&scenario=april`,
      `/negotiations/${NID}/panel?from=2025-04-01&to=2025-06-01&step=P7D&knownAt=${KNOWN}&scenario=us-defers`,
      `/negotiations/${NID}/scenarios/us-defers/diff?at=2025-06-01&knownAt=${KNOWN}`,
    ];
    const answers = await Promise.all(reads.map(raw));
    expect((await as('POST', '/admin/rebuild')).status).toBe(200);
    expect(await Promise.all(reads.map(raw))).toEqual(answers);
  });

  it('closes a branch: its reads answer 404, the list keeps it, and its name is not given again', async () => {
    const closed = await as('DELETE', `/negotiations/${NID}/scenarios/april`);
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ name: 'april', status: 'closed' });
    const read = await as('GET', `/negotiations/${NID}/stances?at=2025-05-30&scenario=april`);
    expect(read.status).toBe(404);
    expect(read.body.message).toContain('closed');
    expect((await as('POST', `/negotiations/${NID}/scenarios/april/events`, { events: [stated('eu', 'crimea', 61, '2025-05-11')] })).status).toBe(409);
    expect((await as('POST', `/negotiations/${NID}/scenarios`, { name: 'april' })).status).toBe(409);
    const list = (await as('GET', `/negotiations/${NID}/scenarios`)).body.scenarios;
    expect(list.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([
      ['us-defers', 'open'],
      ['april', 'closed'],
      ['china-joins', 'open'],
    ]);
    expect((await as('GET', `/negotiations/${NID}/scenarios?status=closed`)).body.scenarios.map((s: { name: string }) => s.name)).toEqual(['april']);
    expect((await as('GET', `/negotiations/${NID}/stances?scenario=nowhere&at=2025-05-30`)).status).toBe(404);
    expect((await as('GET', `/negotiations/${NID}/stances?scenario=us-defers&version=3`)).status).toBe(400);
  });
});
