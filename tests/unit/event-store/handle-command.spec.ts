import { StaleAppend, VersionConflict } from '../../../src/event-store/errors';
import { CommandHandler, type Command, type CommandStore } from '../../../src/event-store/handle-command';
import type { PreparedEvent } from '../../../src/event-store/idempotency';
import type { AppendOptions, AppendResult, DecidedEvent, Fold, StoredEvent } from '../../../src/event-store/types';

/** A stream as an in-memory log: parley_append's answers (idempotency, expected version, stale base) without a database. */
function memoryStore() {
  const streams = new Map<string, StoredEvent[]>();
  let position = 0;
  const calls: { stream: string; base: AppendOptions['base']; ids: string[] }[] = [];
  const store: CommandStore = {
    async readStream(streamId, options = {}) {
      return (streams.get(streamId) ?? []).filter((e) => e.streamVersion > (options.after ?? 0));
    },
    async storedIds(ids) {
      const all = [...streams.values()].flat().map((e) => e.id);
      return new Set(ids.filter((id) => all.includes(id)));
    },
    async appendPrepared(streamId: string, prepared: PreparedEvent[], options: AppendOptions = {}): Promise<AppendResult> {
      calls.push({ stream: streamId, base: options.base, ids: prepared.map((e) => e.id) });
      const log = streams.get(streamId) ?? [];
      const version = log.length;
      const stored = prepared.filter((e) => log.some((s) => s.id === e.id));
      if (stored.length === prepared.length) {
        const events = prepared.map((e) => log.find((s) => s.id === e.id)!);
        return { streamVersion: version, events, appended: 0, skipped: events.length };
      }
      const expected = options.expectedVersion ?? 'any';
      if (typeof expected === 'number' && expected !== version) throw new VersionConflict(streamId, expected, version);
      const base = options.base;
      if (base && (base.version !== version || base.lastEventId !== (log.at(-1)?.id ?? null))) throw new StaleAppend(streamId, version);
      const fresh = prepared.filter((e) => !stored.includes(e));
      const appended = fresh.map((e, i) => ({ ...e, streamId, streamVersion: version + i + 1, globalPosition: ++position, recordedAt: new Date(), endsAppend: i === fresh.length - 1 }));
      streams.set(streamId, [...log, ...appended]);
      return { streamVersion: version + appended.length, events: appended, appended: appended.length, skipped: stored.length };
    },
  };
  /** Another writer (another instance, the CLI): appends behind the handler's back. */
  const behindTheBack = (streamId: string, event: PreparedEvent) => store.appendPrepared(streamId, [event]);
  return { store, calls, behindTheBack, streams };
}

/** A small domain: an account whose balance may never go below zero. */
interface Account {
  version: number;
  lastEventId: string | null;
  balance: number;
  counted: Set<string>;
}
const fold: Fold<Account> = {
  initialState: () => ({ version: 0, lastEventId: null, balance: 0, counted: new Set() }),
  evolve(state, event) {
    state.version += 1;
    state.lastEventId = event.id;
    state.balance += (event.data as { amount: number }).amount;
    state.counted.add(event.id);
  },
  draftOf(state) {
    const draft = { ...state, counted: new Set(state.counted), apply: () => Object.assign(state, { version: draft.version, lastEventId: draft.lastEventId, balance: draft.balance, counted: draft.counted }) };
    return draft;
  },
};
class Refused extends Error {
  constructor(readonly issues: string[]) {
    super(issues.join('; '));
  }
}
const noOverdraft: Command<Account, string> = {
  // An event already in the state is refused, as the handler asks of every decide (a party
  // added twice, an issue defined twice): a retry is then told apart by its stored ids.
  decide: (state: Account, event: DecidedEvent, index: number) => {
    if (state.counted.has(event.id)) return [`events.${index}: already counted`];
    const balance = state.balance + (event.data as { amount: number }).amount;
    return balance < 0 ? [`events.${index}: balance would be ${balance}`] : [];
  },
  refuse: (issues) => new Refused(issues),
};
let ids = 0;
const moved = (amount: number, id = `e${++ids}`): PreparedEvent => ({ id, type: 'Moved', schemaVersion: 1, data: { amount }, metadata: {}, occurredAt: new Date() });

describe('CommandHandler (load, decide, append, retry)', () => {
  it('decides each event on the state after the ones before it, and appends with the base it decided on', async () => {
    const { store, calls } = memoryStore();
    const handler = new CommandHandler(store, fold);
    await handler.handle('acct', [moved(10), moved(-4)], noOverdraft);
    await expect(handler.handle('acct', [moved(-5), moved(-5)], noOverdraft)).rejects.toEqual(new Refused(['events.1: balance would be -4']));
    expect((await handler.stateOf('acct')).balance).toBe(6);
    // The second command went out with the version its decision saw (2), and the refusal was a probe.
    expect(calls.map((c) => c.base?.version)).toEqual([0, -1]);
  });

  it('decides again on the stream as it is when another writer moved it on, and never answers a stale refusal', async () => {
    const { store, behindTheBack } = memoryStore();
    const handler = new CommandHandler(store, fold);
    await handler.handle('acct', [moved(1)], noOverdraft);
    await behindTheBack('acct', moved(100));
    // On the cached tip (1) this would overdraw; on the stream as it is (101) it may go.
    const result = await handler.handle('acct', [moved(-50)], noOverdraft);
    expect(result.streamVersion).toBe(3);
    expect((await handler.stateOf('acct')).balance).toBe(51);
  });

  it('answers a retry of stored events with their positions, and judges only what is new', async () => {
    const { store } = memoryStore();
    const handler = new CommandHandler(store, fold);
    const deposit = moved(5, 'deposit');
    const first = await handler.handle('acct', [deposit], noOverdraft);
    // The stored deposit is not counted twice: the withdrawal of 8 is judged on 5, and overdraws.
    await expect(handler.handle('acct', [deposit, moved(-8)], noOverdraft)).rejects.toEqual(new Refused(['events.1: balance would be -3']));
    const again = await handler.handle('acct', [deposit], noOverdraft);
    expect(again).toMatchObject({ appended: 0, events: first.events });
  });

  it('puts the expected version before the rules', async () => {
    const { store } = memoryStore();
    const handler = new CommandHandler(store, fold);
    await handler.handle('acct', [moved(1)], noOverdraft);
    await expect(handler.handle('acct', [moved(-10)], { ...noOverdraft, expectedVersion: 0 })).rejects.toBeInstanceOf(VersionConflict);
  });

  it('lets many commands on one stream in one process go through without a conflict, each on the tip the earlier left', async () => {
    const { store, calls } = memoryStore();
    const handler = new CommandHandler(store, fold);
    await handler.handle('acct', [moved(20)], noOverdraft);
    const results = await Promise.allSettled(Array.from({ length: 30 }, () => handler.handle('acct', [moved(-1)], noOverdraft)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(20);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason)).toEqual(Array(10).fill(expect.any(Refused)));
    expect((await handler.stateOf('acct')).balance).toBe(0);
    // No decision was made twice: one append per command, one probe per refusal.
    expect(calls).toHaveLength(31);
  });
});
