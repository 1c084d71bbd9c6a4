import { GroupCommit } from '../../../src/event-store/group-commit';

interface Call {
  name: string;
  stream: string;
  ids: string[];
  size: number;
}

/** A writer whose round trips the test finishes by hand: what went out together, and when. */
function fakeWriter() {
  const groups: { calls: Call[]; finish: (error?: Error) => void }[] = [];
  const write = (calls: Call[]) =>
    new Promise<string[]>((resolve, reject) => {
      groups.push({ calls, finish: (error) => (error ? reject(error) : resolve(calls.map((c) => `done ${c.name}`))) });
    });
  return { groups, write };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));
/** Lets the appender see a finished group: its answers, then its next look at the queue (one turn later). */
const settle = async () => {
  await turn();
  await turn();
};
const call = (name: string, stream = 's', size = 1, ids = [name]): Call => ({ name, stream, ids, size });

function appender(options: { maxSize?: number; secondAt?: number } = {}) {
  const writer = fakeWriter();
  const group = new GroupCommit<Call, string>(writer.write, (c) => ({ ids: c.ids, streams: [c.stream] }), options);
  const submit = (c: Call) => group.submit(c, c.size);
  const names = () => writer.groups.map((g) => g.calls.map((c) => c.name));
  return { ...writer, submit, names };
}

describe('GroupCommit', () => {
  it('sends a lone call at once, and what queued meanwhile together in the next group, each caller answered with its own result', async () => {
    const { groups, submit, names } = appender();
    const first = submit(call('a'));
    await turn();
    expect(names()).toEqual([['a']]);
    const later = [submit(call('b')), submit(call('c')), submit(call('d'))];
    await turn();
    expect(names()).toEqual([['a']]);
    groups[0]!.finish();
    expect(await first).toBe('done a');
    await settle();
    expect(names()).toEqual([['a'], ['b', 'c', 'd']]);
    groups[1]!.finish();
    expect(await Promise.all(later)).toEqual(['done b', 'done c', 'done d']);
  });

  it('never puts two calls that share an event id in one group: the later one goes next', async () => {
    const { groups, submit, names } = appender();
    const answers = [submit(call('a', 's', 1, ['x'])), submit(call('b', 't', 1, ['x'])), submit(call('c', 'u', 1, ['y']))];
    await turn();
    expect(names()).toEqual([['a']]);
    groups[0]!.finish();
    await turn();
    await turn();
    expect(names()).toEqual([['a'], ['b', 'c']]);
    groups[1]!.finish();
    expect(await Promise.all(answers)).toHaveLength(3);
  });

  it('sends a small call beside a large group in flight, on another stream only', async () => {
    const { groups, submit, names } = appender({ secondAt: 200 });
    const large = submit(call('import', 'big', 130_000));
    await turn();
    const other = submit(call('other', 'small'));
    const same = submit(call('same', 'big'));
    await turn();
    // The call on the import's stream waits; the other goes out at once, in a second group.
    expect(names()).toEqual([['import'], ['other']]);
    groups[1]!.finish();
    expect(await other).toBe('done other');
    groups[0]!.finish();
    await large;
    await turn();
    expect(names()).toEqual([['import'], ['other'], ['same']]);
    groups[2]!.finish();
    await same;
  });

  it('keeps small calls to one group at a time while nothing large is in flight or waiting', async () => {
    const { groups, submit, names } = appender({ secondAt: 200 });
    const answers = [submit(call('a', 's1'))];
    await turn();
    answers.push(submit(call('b', 's2')));
    await turn();
    expect(names()).toEqual([['a']]);
    groups[0]!.finish();
    await settle();
    expect(names()).toEqual([['a'], ['b']]);
    groups[1]!.finish();
    await Promise.all(answers);
  });

  it('fails every caller of a group whose write fails, and only them', async () => {
    const { groups, submit } = appender();
    const first = submit(call('a'));
    await turn();
    const second = [submit(call('b')), submit(call('c'))];
    groups[0]!.finish(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    await turn();
    groups[1]!.finish();
    expect(await Promise.all(second)).toEqual(['done b', 'done c']);
  });

  it('bounds a group by maxSize events, however many calls wait', async () => {
    const { groups, submit, names } = appender({ maxSize: 3, secondAt: 1000 });
    const first = submit(call('a'));
    await turn();
    const rest = ['b', 'c', 'd', 'e'].map((n) => submit(call(n)));
    groups[0]!.finish();
    await first;
    await turn();
    expect(names()[1]).toEqual(['b', 'c', 'd']);
    groups[1]!.finish();
    await turn();
    await turn();
    expect(names()[2]).toEqual(['e']);
    groups[2]!.finish();
    await Promise.all(rest);
  });
});
