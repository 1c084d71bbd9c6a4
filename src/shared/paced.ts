import { setImmediate as nextTurn } from 'node:timers/promises';

/** How long work may run before the event loop gets a turn. */
const SLICE_MS = 5;

/**
 * Long synchronous work in slices, with a turn of the event loop between them, so other
 * requests wait at most one slice. Two shapes of it:
 * - rows streamed to a socket that keeps draining (loopback, a fast client) run on
 *   process.nextTick and promise callbacks alone, never reaching the poll phase: one long panel
 *   held every other request (/health waited 44.8 s);
 * - one large import parsed and validated in one go held every request for seconds.
 */
class Slices {
  private start = performance.now();
  private count = 0;

  /** True every few milliseconds of work (the clock is read every 64 steps: it costs more than a small step). */
  due(): boolean {
    if ((++this.count & 63) !== 0 || performance.now() - this.start < SLICE_MS) return false;
    return true;
  }

  async pause(): Promise<void> {
    await nextTurn();
    this.start = performance.now();
  }
}

/** The same rows, produced in slices. */
export async function* paced<T>(rows: Iterable<T>): AsyncGenerator<T> {
  const slices = new Slices();
  for (const row of rows) {
    yield row;
    if (slices.due()) await slices.pause();
  }
}

/** `items.map(fn)`, in slices; what `fn` throws is thrown, as by map. */
export async function mapPaced<T, U>(items: readonly T[], fn: (item: T, index: number) => U): Promise<U[]> {
  const slices = new Slices();
  const out: U[] = new Array(items.length);
  for (let index = 0; index < items.length; index++) {
    out[index] = fn(items[index]!, index);
    if (slices.due()) await slices.pause();
  }
  return out;
}

/** Runs a generator (each `yield` a step of work) to its return value, in slices. */
export async function runPaced<R>(steps: Generator<unknown, R>): Promise<R> {
  const slices = new Slices();
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return step.value;
    if (slices.due()) await slices.pause();
  }
}

/** Runs a generator to its return value at once, without a pause. */
export function runAtOnce<R>(steps: Generator<unknown, R>): R {
  for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
}
