import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Beside the embedded data dir's lock, the server that holds it says where it listens, so a
 * CLI command that finds the dir locked goes to that server, whatever its PORT and HOST.
 */
const FILE = 'parley-server.json';

export function recordServerAddress(dataDir: string, url: string): () => void {
  const path = join(dataDir, FILE);
  writeFileSync(path, JSON.stringify({ url, pid: process.pid }));
  const forget = () => rmSync(path, { force: true });
  process.once('exit', forget);
  return forget;
}

/** The URL the holder of `dataDir` recorded, if it is still the process that runs. */
export function serverAddress(dataDir: string): string | undefined {
  try {
    const { url, pid } = JSON.parse(readFileSync(join(dataDir, FILE), 'utf8')) as { url?: string; pid?: number };
    if (typeof url !== 'string' || typeof pid !== 'number') return undefined;
    process.kill(pid, 0);
    return url;
  } catch {
    return undefined;
  }
}
