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
import { InvalidRequest } from '../shared/domain-error';
import { zipStream } from '../shared/zip';
import { panelPackageFiles } from '../negotiation/stances/panel-package-files';

interface PanelOptions {
  negotiation: string;
  from: string;
  to: string;
  step?: string;
  knownAt?: string;
  publicAt?: string;
  format: string;
  output?: string;
}

/** `parley panel`: party × issue × point as CSV (or a Data Package, a zip), to a file or stdout, streamed. */
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
    .option('--format <format>', 'csv, or datapackage: a zip with datapackage.json, the balanced panel and the codebook', 'csv')
    .option('-o, --output <file>', 'write to this file (default stdout)')
    .action(async (options: PanelOptions) => {
      const id = parseWith(negotiationIdSchema, options.negotiation, ['negotiation']);
      const query = {
        from: options.from,
        to: options.to,
        ...(options.step ? { step: options.step } : {}),
        ...(options.knownAt ? { knownAt: options.knownAt } : {}),
        ...(options.publicAt ? { publicAt: options.publicAt } : {}),
        format: options.format,
      };
      const { points, query: asOf, format, range } = parseWith(panelParams, query);
      if (format === 'json') throw new InvalidRequest([{ path: ['format'], message: 'The CLI writes csv or datapackage; read JSON from the API' }]);
      const out: Writable = options.output ? createWriteStream(options.output) : process.stdout;
      const target = await openTarget();
      try {
        if (target.kind === 'local') {
          const queries = target.app.get(QueryBus);
          const panel = await queries.execute(new GetPanel(id, points, asOf));
          if (format === 'datapackage') await pipeline(zipStream((await panelPackageFiles(queries, id, panel, range)).entries), out);
          else await pipeline(csvStream(flatPanelRows(panel.rows), PANEL_COLUMNS), out);
        } else {
          // Through the server that holds the data dir: its CSV (or zip), streamed to the file.
          const url = new URL(`/negotiations/${id}/panel?${new URLSearchParams({ ...query, format: format ?? 'csv' })}`, target.url);
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
