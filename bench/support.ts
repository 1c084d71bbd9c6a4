import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../src/config/paths';
import os from 'node:os';
import { Client } from 'pg';
import { connectPostgres, type DatabaseConnection } from '../src/database/connection';
import { migrateToLatest } from '../src/database/migrate';

export const BENCH_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function databaseUrl(name: string): string {
  const url = new URL(BENCH_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: BENCH_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated database for one scenario; dropped by `drop`. */
export async function freshDatabase(tag: string, poolSize = 20): Promise<{ url: string; connection: DatabaseConnection; drop(): Promise<void> }> {
  const name = `parley_bench_${tag}_${Date.now()}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = databaseUrl(name);
  const connection = connectPostgres(url, poolSize);
  await migrateToLatest(connection.db);
  return {
    url,
    connection,
    async drop() {
      await connection.close();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index]!;
}

export const median = (values: number[]) => quantile(values, 0.5);

/** Median and spread (min–max) of repeated measurements. */
export function summary(values: number[]): { median: number; min: number; max: number; runs: number } {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), runs: values.length };
}

export async function machine(url: string) {
  const client = new Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ server_version: string }>('show server_version');
  await client.end();
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    // not a checkout
  }
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    postgres: rows[0]!.server_version,
    commit,
    date: new Date().toISOString(),
  };
}

/** Peak heap and RSS while `work` runs, sampled every 20 ms. */
export async function peakMemory<T>(work: () => Promise<T>): Promise<{ result: T; peakRssMiB: number; peakHeapMiB: number }> {
  let rss = 0;
  let heap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  };
  const timer = setInterval(sample, 20);
  try {
    const result = await work();
    sample();
    return { result, peakRssMiB: Math.round(rss / 2 ** 20), peakHeapMiB: Math.round(heap / 2 ** 20) };
  } finally {
    clearInterval(timer);
  }
}

/**
 * Parley in a child process on a free loopback port, over `databaseUrl`: the load generator's
 * own work never delays the server's event loop. Its request log is drained.
 */
export async function startServerProcess(databaseUrl: string, env: Record<string, string> = {}): Promise<{ url: string; server: ChildProcess }> {
  // BENCH_SERVER_NODE_ARGS: flags for the server's node, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it.
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const server = spawn('node', [...nodeArgs, join(projectRoot(), 'dist', 'src', 'main.js')], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', LOG_LEVEL: 'info', PARLEY_RATE_LIMIT: '0', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk;
      const match = /Parley listening on (http:\/\/[^"]+)/.exec(out);
      if (!match) return;
      server.stdout!.off('data', onData);
      server.stdout!.resume(); // keep draining the request log
      resolve(match[1]!.replace('[::1]', '127.0.0.1'));
    };
    server.stdout!.on('data', onData);
    server.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  return { url, server };
}
