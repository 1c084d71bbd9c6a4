import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { connectEmbedded, DataDirLocked } from '../../src/database/embedded';
import { EMBEDDED_TEMPLATE_ENV } from '../support/embedded';

const EMBEDDED = join(__dirname, '../../dist/src/database/embedded.js');
/** The lock's default stale period: the owner stays busy past it. */
const STALE_MS = 10_000;

/**
 * A process that holds the data dir and keeps its main thread busy (as PGlite does through a
 * large import) for longer than the lock's stale period.
 */
function busyOwner(dir: string, busyMs: number) {
  const script = `
    const { connectEmbedded } = require(${JSON.stringify(EMBEDDED)});
    connectEmbedded(process.argv[1]).then(() => {
      process.stdout.write('locked\\n');
      const until = Date.now() + Number(process.argv[2]);
      while (Date.now() < until) {}
      process.exit(0);
    });`;
  const child = spawn(process.execPath, ['-e', script, dir, String(busyMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const locked = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve());
    child.once('exit', (code) => reject(new Error(`the owner exited (${code}) before locking`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { locked, exited };
}

describe('the embedded data dir lock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-busy-'));
  cpSync(process.env[EMBEDDED_TEMPLATE_ENV]!, dir, { recursive: true });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is never taken from an owner that is alive but busy, and is taken once it is gone', async () => {
    const owner = busyOwner(dir, STALE_MS + 3000);
    await owner.locked;
    // Past the stale period while the owner's main thread has not run once.
    await new Promise((r) => setTimeout(r, STALE_MS + 1500));
    await expect(connectEmbedded(dir)).rejects.toBeInstanceOf(DataDirLocked);
    // The owner never lost its lock (it would have exited 70).
    expect(await owner.exited).toBe(0);

    const next = await connectEmbedded(dir);
    try {
      const { rows } = await sql<{ ok: number }>`select 1 as ok`.execute(next.db);
      expect(rows).toEqual([{ ok: 1 }]);
    } finally {
      await next.close();
    }
  });
});
