import { createWriteStream, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { DatabaseConnection } from '../database/connection';
import { DATABASE } from '../database/database.module';
import { exportLog, restoreLog } from '../event-store/backup';
import { markJudged } from '../live/alerts/alerting';
import { callRemote, closeTarget, openTarget } from './context';

export function registerBackup(program: Command): void {
  program
    .command('export')
    .description('write the whole log as NDJSON (every field, recordedAt included)')
    .option('-o, --out <file>', 'file to write (default: standard output)')
    .action(async (options: { out?: string }) => {
      const out: NodeJS.WritableStream = options.out ? createWriteStream(options.out) : process.stdout;
      const target = await openTarget();
      try {
        let count = 0;
        if (target.kind === 'local') {
          for await (const line of exportLog(target.app.get<DatabaseConnection>(DATABASE).db)) {
            if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
            count++;
          }
        } else {
          const headers = target.apiKey ? { authorization: `Bearer ${target.apiKey}` } : undefined;
          const response = await fetch(new URL('/admin/export', target.url), { ...(headers ? { headers } : {}) });
          if (!response.ok) throw new Error(`The server answered ${response.status}`);
          const text = await response.text();
          out.write(text);
          count = text.split('\n').filter(Boolean).length;
        }
        if (options.out) await new Promise<void>((r) => out.end(() => r()));
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
        if (target.kind === 'local') {
          const connection = target.app.get<DatabaseConnection>(DATABASE);
          count = await restoreLog(connection.db, text, markJudged);
        } else {
          const { status, body } = await callRemote(target, '/admin/restore', {
            method: 'POST',
            headers: { 'content-type': 'application/x-ndjson' },
            body: text,
          });
          if (status !== 200) throw new Error(`The server answered ${status}: ${JSON.stringify(body)}`);
          count = body.events as number;
        }
        process.stdout.write(`restored ${count} events\n`);
      } finally {
        await closeTarget(target);
      }
    });
}
