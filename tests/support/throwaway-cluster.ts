import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from './free-port';

/** Debian's PostgreSQL binaries, whichever major version is installed. */
function binDir(): string {
  const versions = readdirSync('/usr/lib/postgresql').sort();
  const dir = join('/usr/lib/postgresql', versions[versions.length - 1]!, 'bin');
  if (!existsSync(join(dir, 'initdb'))) throw new Error(`no initdb in ${dir}`);
  return dir;
}


/**
 * A PostgreSQL cluster of the test's own, on a free port, that the test may stop and start:
 * initdb and pg_ctl refuse to run as root, so they run as the postgres user.
 */
export interface Cluster {
  url: string;
  port: number;
  stop(): void;
  start(): void;
  /** A standby becomes a primary (pg_ctl promote). */
  promote(): void;
  destroy(): void;
}

function postgresUser(dir: string) {
  chmodSync(dir, 0o700);
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
  chownSync(dir, uid, gid);
  const bin = binDir();
  return (command: string, args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', join(bin, command), ...args], { stdio: 'pipe' });
}

function controlled(dir: string, port: number, asPostgres: ReturnType<typeof postgresUser>, extra = ''): Pick<Cluster, 'start' | 'stop' | 'promote' | 'destroy'> {
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off ${extra}`;
  const start = () => asPostgres('pg_ctl', ['-D', join(dir, 'data'), '-o', options, '-l', join(dir, 'log'), '-w', 'start']);
  const stop = () => asPostgres('pg_ctl', ['-D', join(dir, 'data'), '-m', 'fast', '-w', 'stop']);
  return {
    start,
    stop,
    promote: () => asPostgres('pg_ctl', ['-D', join(dir, 'data'), '-w', 'promote']),
    destroy() {
      try {
        stop();
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A hot standby of `primary`, streaming from it (`pg_basebackup -R -X stream`), on a port of
 * its own; `applyDelayMs` holds each transaction back that long (recovery_min_apply_delay).
 */
export async function standbyOf(primary: Cluster, applyDelayMs = 0): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-standby-'));
  const asPostgres = postgresUser(dir);
  asPostgres('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres', '-D', join(dir, 'data'), '-R', '-X', 'stream', '--checkpoint=fast']);
  const port = await freePort();
  const control = controlled(dir, port, asPostgres, `-c hot_standby=on -c recovery_min_apply_delay=${applyDelayMs}ms`);
  control.start();
  return { url: primary.url.replace(`:${primary.port}/`, `:${port}/`), port, ...control };
}

export async function throwawayCluster(): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-cluster-'));
  const asPostgres = postgresUser(dir);
  asPostgres('initdb', ['-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const port = await freePort();
  const control = controlled(dir, port, asPostgres);
  control.start();
  const admin = new Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
  await admin.connect();
  await admin.query('CREATE DATABASE parley');
  await admin.end();
  return { url: `postgres://postgres@127.0.0.1:${port}/parley`, port, ...control };
}
