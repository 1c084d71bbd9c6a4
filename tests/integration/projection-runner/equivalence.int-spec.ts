import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { EventRegistry } from '../../../src/event-store/event-registry';
import { EventStore } from '../../../src/event-store/event-store';
import type { EventToAppend } from '../../../src/event-store/types';
import { negotiationEventDefinitions } from '../../../src/negotiation/domain/events';
import { toNegotiationEvent } from '../../../src/negotiation/domain/stored-event';
import type { AsOf } from '../../../src/negotiation/stances/stance';
import { redLinesAsOf, stancesAsOf } from '../../support/as-of-reference';
import { Projector } from '../../../src/projection-runner/projector';
import { rebuildProjections } from '../../../src/projection-runner/rebuild';
import { pendingFor, wantStreams } from '../../../src/projection-runner/ahead';
import { readCheckpoint } from '../../../src/projection-runner/checkpoints';
import { issuesKnown, redLinesAt, stancesAt, timelineOf } from '../../../src/negotiation/stances/stance.repository';
import { gapSeries, pairGap } from '../../../src/negotiation/analysis/gaps';
import { measure } from '../../../src/alerting/measure';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { numRuns } from '../../support/property';
import { projections } from '../../../src/app.module';

const PARTIES = ['p1', 'p2', 'p3'];
const ISSUES = ['i1', 'i2'];
const DAYS = [1, 2, 3, 4].map((d) => `2025-04-0${d}T00:00:00.000Z`);

const step = fc.record({
  kind: fc.constantFrom('stated', 'stated', 'stated', 'proposal', 'meeting', 'withdrawn', 'red-line', 'corrected', 'retracted'),
  party: fc.nat(PARTIES.length - 1),
  other: fc.nat(PARTIES.length - 1),
  issue: fc.nat(ISSUES.length - 1),
  value: fc.integer({ min: 0, max: 100 }),
  salience: fc.option(fc.constantFrom(0, 0.3, 1), { nil: undefined }),
  day: fc.nat(DAYS.length - 1),
  moveDay: fc.option(fc.nat(DAYS.length - 1), { nil: undefined }),
  pick: fc.nat(),
  endBatch: fc.boolean(),
  // Uncertainty, basis, confidence and date precision, where a position may carry them.
  detail: fc.boolean(),
});

type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

/** Turns random steps into a valid event history, in batches (each batch one recordedAt). */
function history(steps: Step[]): EventToAppend[][] {
  const at = (d: number) => new Date(DAYS[d]!);
  const batches: EventToAppend[][] = [[
    { type: 'NegotiationOpened', data: { title: 'P' }, occurredAt: at(0) },
    ...PARTIES.map((party) => ({ type: 'PartyAdded', data: { party, name: party }, occurredAt: at(0) })),
    ...ISSUES.map((issue) => ({ type: 'IssueDefined', data: { issue, title: issue }, occurredAt: at(0) })),
  ]];
  const targets: { id: string; type: string; data: unknown }[] = [];
  const retracted = new Set<string>();
  for (const s of steps) {
    const party = PARTIES[s.party]!;
    const issue = ISSUES[s.issue]!;
    const detail = s.detail ? { uncertainty: { low: Math.max(0, s.value - 10), high: Math.min(100, s.value + 15) }, basis: 'inferred' } : {};
    const stated = { party, issue, value: s.value, ...(s.salience === undefined ? {} : { salience: s.salience }), ...detail, ...(s.detail ? { confidence: 0.7, quote: 'q' } : {}) };
    const live = targets.filter((t) => !retracted.has(t.id));
    let event: EventToAppend;
    if ((s.kind === 'corrected' || s.kind === 'retracted') && live.length > 0) {
      const target = live[s.pick % live.length]!;
      if (s.kind === 'retracted') {
        retracted.add(target.id);
        event = { type: 'EventRetracted', data: { target: target.id, reason: 'r' }, occurredAt: at(s.day) };
      } else {
        // Same type as the target, new content (and maybe a new valid time).
        const data = target.type === 'PositionStated' ? stated : { ...(target.data as object) };
        if (target.type === 'RedLineDeclared') Object.assign(data, { acceptable: { min: Math.min(s.value, 50) } });
        event = {
          type: 'EventCorrected',
          data: { target: target.id, data, ...(s.moveDay === undefined ? {} : { occurredAt: DAYS[s.moveDay] }) },
          occurredAt: at(s.day),
        };
      }
    } else {
      const id = randomUUID();
      const other = PARTIES[s.other]!;
      const sponsors = other === party ? [party] : [party, other];
      const byKind: Record<string, { type: string; data: unknown }> = {
        proposal: { type: 'ProposalTabled', data: { proposal: 'x', title: 'X', sponsors, positions: [{ issue, value: s.value, ...detail }] } },
        meeting: { type: 'MeetingHeld', data: { participants: sponsors, positions: sponsors.map((p) => ({ party: p, issue, value: s.value, ...detail })) } },
        withdrawn: { type: 'PositionWithdrawn', data: { party, issue } },
        'red-line': { type: 'RedLineDeclared', data: { party, issue, acceptable: { max: s.value } } },
      };
      const { type, data } = byKind[s.kind] ?? { type: 'PositionStated', data: stated };
      // Some reports carry a publication date (a day after the fact), some none.
      const source = s.pick % 3 === 0 ? { source: { publisher: 'P', publishedAt: DAYS[Math.min(s.day + 1, DAYS.length - 1)]!.slice(0, 10) } } : {};
      event = { id, type, data, occurredAt: at(s.day), metadata: { ...(s.detail ? { datePrecision: 'week' } : {}), ...source } };
      targets.push({ id, type, data });
    }
    batches[batches.length - 1]!.push(event);
    if (s.endBatch) batches.push([]);
  }
  return batches.filter((b) => b.length > 0);
}

/** Another negotiation's bulk load: opened, a party and an issue, then `count` positions. */
function bulkLoad(count: number): EventToAppend[] {
  const at = new Date(DAYS[0]!);
  return [
    { type: 'NegotiationOpened', data: { title: 'bulk' }, occurredAt: at },
    { type: 'PartyAdded', data: { party: 'b', name: 'b' }, occurredAt: at },
    { type: 'IssueDefined', data: { issue: 'i', title: 'i' }, occurredAt: at },
    ...Array.from({ length: count }, (_, k) => ({ type: 'PositionStated', data: { party: 'b', issue: 'i', value: k % 101 }, occurredAt: at })),
  ];
}

describe('stance projection equivalence (property)', () => {
  let database: TestDatabase;
  let store: EventStore;
  let registry: EventRegistry;

  beforeAll(async () => {
    database = await createTestDatabase();
    registry = new EventRegistry(negotiationEventDefinitions);
    store = new EventStore(database.connection.db, registry);
  });
  afterAll(() => database.drop());

  it('gives the same stances, red lines, gap series and alert measurements incrementally, projected ahead of another negotiation\'s bulk load, after a rebuild, and by folding the log naively', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 25 }),
        fc.array(fc.tuple(fc.nat(DAYS.length + 1), fc.nat(40), fc.option(fc.nat(DAYS.length + 1), { nil: undefined })), { minLength: 3, maxLength: 6 }),
        fc.integer({ min: 1, max: 7 }),
        fc.option(fc.nat(5), { nil: undefined }),
        async (steps, questions, batchSize, bulkAfter) => {
          const nid = `prop-${randomUUID().slice(0, 8)}`;
          const recorded: Date[] = [];
          const batches = history(steps);
          const projector = new Projector(database.connection, new EventStore(database.connection.db, registry), projections, { batchSize, aheadMaxPerStream: 1000 });
          // Everything before this run is projected first: the checkpoint starts at the head.
          while ((await projector.runBatch()) > 0);
          for (const [index, batch] of batches.entries()) {
            // Sometimes a bulk load into another negotiation lands between two of this one's
            // appends, so this one's later events wait behind it and may be projected ahead.
            if (index === bulkAfter) await store.appendToStream(`bulk-${nid}`, bulkLoad(batchSize * 4));
            await store.appendToStream(nid, batch);
            const events = await store.readStream(nid);
            recorded.push(events[events.length - 1]!.recordedAt);
            // The next batch must be recorded later, so knownAt can tell them apart.
            while (Date.now() <= recorded[recorded.length - 1]!.getTime()) await new Promise((r) => setImmediate(r));
          }

          const log = (await store.readStream(nid)).map(toNegotiationEvent);
          // publicAt, when asked, falls between publication days or at the end of the log.
          const asOfs: AsOf[] = questions.map(([day, k, pub]) => ({
            at: new Date(Date.parse('2025-03-31T12:00:00Z') + day * 86_400_000),
            knownAt: new Date(recorded[k % recorded.length]!.getTime() - (k % 3 === 0 ? 1 : 0)),
            ...(pub === undefined ? {} : { publicAt: pub > DAYS.length ? new Date(recorded[recorded.length - 1]!.getTime()) : new Date(Date.parse('2025-03-31T12:00:00Z') + pub * 86_400_000) }),
          }));
          const { db } = database.connection;
          // Every production reading of the as-of rule against the reference fold: stances and
          // red lines (the indexed SQL), a gap series (the timeline sweep) and an alert's
          // measurement, at the same questions.
          const points = DAYS.map((d) => new Date(Date.parse(d) + 43_200_000));
          // The known issues come from the projection: asked once this negotiation is projected.
          const naiveFold = () => Promise.all(
            asOfs.map(async (asOf) => {
              const issues = await issuesKnown(db, nid, asOf);
              return {
                stances: stancesAsOf(log, asOf),
                redLines: redLinesAsOf(log, asOf),
                series: points.map((at) => {
                  const { overall, overallRange } = pairGap('p1', 'p2', stancesAsOf(log, { ...asOf, at }), issues);
                  return { overall, overallRange };
                }),
                alert: { kind: 'gap', value: pairGap('p1', 'p3', stancesAsOf(log, asOf), issues).overall },
              };
            }),
          );
          const projected = async () =>
            Promise.all(
              asOfs.map(async (asOf) => {
                const issues = await issuesKnown(db, nid, asOf);
                const timeline = await timelineOf(db, nid, ['p1', 'p2'], asOf);
                return {
                  stances: await stancesAt(db, nid, asOf),
                  redLines: await redLinesAt(db, nid, asOf),
                  series: gapSeries('p1', 'p2', timeline, issues, points).map(({ overall, overallRange }) => ({ overall, overallRange })),
                  alert: await measure(db, nid, { kind: 'gap_threshold', a: 'p1', b: 'p3', threshold: 50, direction: 'both' }, asOf),
                };
              }),
            );
          if (bulkAfter !== undefined) {
            // A read waits for this negotiation: its events are projected ahead of the bulk load
            // in one batch, and every as-of answer is already the naive fold's.
            await wantStreams(db, [nid]);
            await projector.runBatch();
            expect(await pendingFor(db, await readCheckpoint(db), await store.headPosition(), [nid])).toBe(false);
            expect(await projected()).toEqual(await naiveFold());
          }
          // Incremental: small batches, so corrections often meet targets projected earlier.
          while ((await projector.runBatch()) > 0);
          const naive = await naiveFold();
          expect(await projected()).toEqual(naive);
          await rebuildProjections(database.connection, new EventStore(database.connection.db, registry), projections, { batchSize: 50 });
          expect(await projected()).toEqual(naive);
        },
      ),
      { numRuns: numRuns(40) },
    );
  });
});
