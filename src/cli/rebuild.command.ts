import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { ProjectionsService } from '../projection-runner/projections.service';
import { callRemote, closeTarget, openTarget, serverError } from './context';

export function registerRebuild(program: Command): void {
  program
    .command('rebuild')
    .description('rebuild every projection from the log (reads keep answering meanwhile)')
    .option('--batch-size <n>', 'events per batch', '5000')
    .action(async (options: { batchSize: string }) => {
      const target = await openTarget();
      try {
        if (target.kind === 'remote') {
          const { status, body } = await callRemote(target, '/admin/rebuild', { method: 'POST' });
          if (status !== 200) throw serverError(status, body);
          process.stdout.write(`rebuilt from ${body.events} events up to position ${body.position} (${body.ms} ms)\n`);
          return;
        }
        const bar = process.stderr.isTTY
          ? new SingleBar({ format: 'rebuilding {bar} {value}/{total} events', stream: process.stderr }, Presets.shades_classic)
          : undefined;
        const started = Date.now();
        let barStarted = false;
        const result = await target.app.get(ProjectionsService).rebuild({
          batchSize: Number(options.batchSize),
          onProgress: ({ position, head }) => {
            if (!bar) return;
            if (!barStarted) {
              bar.start(head, 0);
              barStarted = true;
            }
            bar.setTotal(head);
            bar.update(position);
          },
        });
        bar?.stop();
        process.stdout.write(`rebuilt from ${result.events} events up to position ${result.position} (${Date.now() - started} ms)\n`);
      } finally {
        await closeTarget(target);
      }
    });
}
