import { readFileSync, rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';

export class DataDirLocked extends Error {
  readonly code = 'DATABASE.DATA_DIR_LOCKED';
  constructor(readonly dataDir: string) {
    super(
      `The embedded database in ${dataDir} is in use by another Parley process. ` +
        'Stop that process, point PARLEY_DATA_DIR elsewhere, or talk to the running server ' +
        '(PARLEY_URL) instead.',
    );
  }
}

export interface DataDirLockOptions {
  /** A lock not refreshed for this long, whose owner is gone, is taken over. */
  staleMs?: number;
  /** The lock was taken from us or lost: the owner must stop writing at once. */
  onLost: (reason: string) => void;
}

export interface Owner {
  pid: number;
  /** Start time of the process (Linux: clock ticks since boot), so a reused pid is not "alive". */
  start: string | null;
}

const REFRESH_MS = 1000;

/**
 * The lock runs in a worker thread: proper-lockfile refreshes the lock's mtime on a timer, and
 * PGlite runs on the main thread, which a large import keeps busy for many seconds. On the
 * main thread the refresh stalled, a second process took the "stale" lock and both wrote to
 * one data dir. In a worker it keeps ticking however busy the main thread is; it dies with
 * the process, so a killed owner's lock does go stale.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { writeFileSync } = require('node:fs');
const lockfile = require(workerData.library);
lockfile
  .lock(workerData.dir, {
    lockfilePath: workerData.lockfilePath,
    realpath: false,
    stale: workerData.staleMs,
    update: workerData.refreshMs,
    onCompromised: (error) => parentPort.postMessage({ type: 'lost', message: error.message }),
  })
  .then((release) => {
    writeFileSync(workerData.ownerFile, JSON.stringify(workerData.owner));
    parentPort.postMessage({ type: 'locked' });
    parentPort.on('message', () => {
      release().catch(() => undefined).finally(() => parentPort.postMessage({ type: 'released' }));
    });
  })
  .catch((error) => parentPort.postMessage({ type: 'error', code: error.code, message: error.message }));
`;

export function processStart(pid: number): string | null {
  try {
    // Field 22 of /proc/<pid>/stat; the command name (field 2) may hold spaces, so count from its end.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** Whether the process that wrote `ownerFile` still runs (the same process, not a reused pid). */
export function ownerAlive(ownerFile: string): boolean {
  let owner: Owner;
  try {
    owner = JSON.parse(readFileSync(ownerFile, 'utf8')) as Owner;
  } catch {
    return true; // no owner yet: it is still starting
  }
  if (!Number.isInteger(owner.pid) || owner.pid <= 0) return true;
  if (owner.pid === process.pid) return true;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
  const start = processStart(owner.pid);
  return owner.start === null || start === null || start === owner.start;
}

function takeInWorker(dir: string, staleMs: number, onLost: (reason: string) => void): Promise<() => Promise<void>> {
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: {
      library: require.resolve('proper-lockfile'),
      dir,
      lockfilePath: resolve(dir, 'parley.lock'),
      ownerFile: resolve(dir, 'parley.pid'),
      owner: { pid: process.pid, start: processStart(process.pid) } satisfies Owner,
      staleMs,
      refreshMs: REFRESH_MS,
    },
  });
  // The worker must not keep the process alive on its own.
  worker.unref();
  return new Promise((resolveLock, reject) => {
    let released: (() => void) | undefined;
    worker.on('message', (message: { type: string; code?: string; message?: string }) => {
      if (message.type === 'locked') {
        resolveLock(
          () =>
            new Promise<void>((done) => {
              released = done;
              worker.postMessage('release');
            }),
        );
      } else if (message.type === 'released') {
        void worker.terminate().finally(() => released?.());
      } else if (message.type === 'lost') {
        onLost(message.message ?? 'the lock was compromised');
      } else {
        void worker.terminate();
        reject(Object.assign(new Error(message.message), { code: message.code }));
      }
    });
    worker.on('error', reject);
  });
}

/**
 * Takes the data dir's lock for this process. Refused while the owner lives, however long
 * since it last refreshed; a lock whose owner is gone (a `kill -9`) is taken over once it has
 * not been refreshed for a few beats, without waiting for it to go fully stale.
 */
export async function lockDataDir(dir: string, { staleMs = 10_000, onLost }: DataDirLockOptions): Promise<() => Promise<void>> {
  const lockfilePath = resolve(dir, 'parley.lock');
  const ownerFile = resolve(dir, 'parley.pid');
  const deadline = Date.now() + staleMs;
  for (;;) {
    try {
      return await takeInWorker(dir, staleMs, onLost);
    } catch (error) {
      if ((error as { code?: string }).code !== 'ELOCKED') throw error;
      if (ownerAlive(ownerFile)) throw new DataDirLocked(dir);
      // The owner is gone. Once its lock has missed a few refreshes nobody else is taking it
      // over either (a new owner refreshes every second): take it.
      if (sinceRefresh(lockfilePath) > 3 * REFRESH_MS) rmSync(lockfilePath, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new DataDirLocked(dir);
      else await new Promise((r) => setTimeout(r, REFRESH_MS));
    }
  }
}

function sinceRefresh(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}
