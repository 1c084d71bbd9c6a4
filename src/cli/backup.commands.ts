import { createWriteStream, readFileSync, rmSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import type { DatabaseConnection } from '../database/connection';
import { DATABASE } from '../database/database.module';
import { exportLog, restoreLog } from '../event-store/backup';
import { markJudged } from '../alerting/evaluate-batch';
import { callRemote, closeTarget, openTarget, type Target, serverError } from './context';

export function registerBackup(program: Command): void {
  program
    .command('export')
    .description('write the whole log as NDJSON (every field, recordedAt included), ending with a count and SHA-256 trailer')
    .option('-o, --out <file>', 'file to write (default: standard output)')
    .action(async (options: { out?: string }) => {
      const target = await openTarget();
      try {
        const lines = target.kind === 'local' ? Readable.from(exportLog(target.app.get<DatabaseConnection>(DATABASE).db)) : await remoteExport(target);
        let count = -1; // the trailer is a line too
        lines.on('data', (chunk: Buffer | string) => (count += String(chunk).split('\n').length - 1));
        const out = options.out ? createWriteStream(options.out) : process.stdout;
        try {
          await pipeline(lines, out, { end: options.out !== undefined });
        } catch (error) {
          // Half a backup looks like a whole one: leave none behind.
          if (options.out) rmSync(options.out, { force: true });
          throw new Error(`export failed, nothing kept: ${(error as Error).message}`);
        }
        process.stderr.write(`exported ${count} events\n`);
      } finally {
        await closeTarget(target);
      }
    });

  program
    .command('restore')
    .description('load an export into an empty database, keeping positions and recordedAt')
    .argument('<file>', 'NDJSON written by parley export')
    .action(async (file: string) => {
      const text = readFileSync(file, 'utf8');
      const target = await openTarget();
      try {
        let count: number;
        let warnings: string[];
        if (target.kind === 'local') {
          const connection = target.app.get<DatabaseConnection>(DATABASE);
          ({ events: count, warnings } = await restoreLog(connection.db, text, markJudged));
        } else {
          const { status, body } = await callRemote(target, '/admin/restore', {
            method: 'POST',
            headers: { 'content-type': 'application/x-ndjson' },
            body: text,
          });
          if (status !== 200) throw serverError(status, body);
          count = body.events as number;
          warnings = (body.warnings as string[] | undefined) ?? [];
        }
        process.stdout.write(`restored ${count} events\n`);
        for (const warning of warnings) process.stderr.write(`parley: warning: ${warning}\n`);
      } finally {
        await closeTarget(target);
      }
    });
}

/** The server's export as a stream; a cut connection surfaces as a stream error. */
async function remoteExport(target: Extract<Target, { kind: 'remote' }>): Promise<Readable> {
  const headers = target.apiKey ? { authorization: `Bearer ${target.apiKey}` } : undefined;
  const response = await fetch(new URL('/admin/export', target.url), { ...(headers ? { headers } : {}) });
  if (!response.ok || !response.body) throw serverError(response.status, await response.text());
  return Readable.fromWeb(response.body as import('node:stream/web').ReadableStream);
}
