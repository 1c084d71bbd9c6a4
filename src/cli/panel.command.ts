import { createWriteStream } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { QueryBus } from '@nestjs/cqrs';
import type { Command } from 'commander';
import { parseWith } from '../shared/parse-with';
import { negotiationIdSchema } from '../negotiation/domain/requests';
import { panelParams } from '../negotiation/reading/as-of-params';
import { csvStream } from '../negotiation/reading/csv';
import { GetPanel, PANEL_COLUMNS, flatPanelRows } from '../negotiation/stances/get-panel.query';
import { closeTarget, openTarget, serverError } from './context';

interface PanelOptions {
  negotiation: string;
  from: string;
  to: string;
  step?: string;
  knownAt?: string;
  publicAt?: string;
  output?: string;
}

/** `parley panel`: party × issue × point as CSV, to a file or stdout, streamed. */
export function registerPanel(program: Command): void {
  program
    .command('panel')
    .description('export the party × issue × date panel as CSV (for R, pandas, Stata)')
    .requiredOption('-n, --negotiation <nid>', 'negotiation id')
    .requiredOption('--from <when>', 'first point: instant or date')
    .requiredOption('--to <when>', 'last point (inclusive)')
    .option('--step <duration>', 'ISO 8601 duration between points', 'P1D')
    .option('--known-at <when>', 'recorded time for the whole panel; default now')
    .option('--public-at <when>', 'only reports public by then')
    .option('-o, --output <file>', 'write to this file (default stdout)')
    .action(async (options: PanelOptions) => {
      const id = parseWith(negotiationIdSchema, options.negotiation, ['negotiation']);
      const query = {
        from: options.from,
        to: options.to,
        ...(options.step ? { step: options.step } : {}),
        ...(options.knownAt ? { knownAt: options.knownAt } : {}),
        ...(options.publicAt ? { publicAt: options.publicAt } : {}),
      };
      const { points, query: asOf } = parseWith(panelParams, query);
      const out: Writable = options.output ? createWriteStream(options.output) : process.stdout;
      const target = await openTarget();
      try {
        if (target.kind === 'local') {
          const panel = await target.app.get(QueryBus).execute(new GetPanel(id, points, asOf));
          await pipeline(csvStream(flatPanelRows(panel.rows), PANEL_COLUMNS), out);
        } else {
          // Through the server that holds the data dir: its CSV, streamed to the file.
          const url = new URL(`/negotiations/${id}/panel?${new URLSearchParams({ ...query, format: 'csv' })}`, target.url);
          const response = await fetch(url, { headers: target.apiKey ? { authorization: `Bearer ${target.apiKey}` } : {} }).catch((error: Error) => {
            throw new Error(`Cannot reach the server at ${target.url}: ${error.message}`);
          });
          if (!response.ok || !response.body) throw serverError(response.status, await response.text());
          await pipeline(Readable.fromWeb(response.body as never), out);
        }
      } finally {
        await closeTarget(target);
      }
    });
}
