import { FairQueue } from '../../../src/feed/fair-queue';

describe('FairQueue', () => {
  it('runs at most its slots at once, and the waiting ones in arrival order', async () => {
    const queue = new FairQueue(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const gates = Array.from({ length: 6 }, () => {
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      return { gate, open };
    });
    const tasks = gates.map(({ gate }, i) =>
      queue.run(async () => {
        running++;
        most = Math.max(most, running);
        order.push(i);
        await gate;
        running--;
        return i;
      }),
    );
    // Given six tasks on two slots, when each finishes in turn, then the next one starts.
    for (const { open } of gates) {
      await Promise.resolve();
      open();
      await new Promise((r) => setImmediate(r));
    }
    expect(await Promise.all(tasks)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(most).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('gives the slot on when a task fails', async () => {
    const queue = new FairQueue(1);
    await expect(queue.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await queue.run(async () => 'next')).toBe('next');
  });
});
