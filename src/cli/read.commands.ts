import { QueryBus } from '@nestjs/cqrs';
import Table from 'cli-table3';
import type { Command } from 'commander';
import { parseWith } from '../shared/parse-with';
import { asOfParams, gapsParams } from '../negotiation/reading/as-of-params';
import { negotiationIdSchema } from '../negotiation/domain/requests';
import { GetGaps, type GapsAnswer } from '../negotiation/analysis/get-gaps.query';
import { GetStances, type StancesAnswer } from '../negotiation/stances/get-stances.query';
import { serverError, withTarget } from './context';
import type { GetPath } from '@parley/client';
import { GetOutcomes, GetZones } from '../negotiation/analysis/analysis.queries';
import { outcomeParams } from '../negotiation/reading/as-of-params';
import type { Outcome } from '../negotiation/analysis/outcomes';
import type { Zone } from '../negotiation/analysis/zones';
import { GetVersion, versionSchema } from '../negotiation/reading/get-version.query';

export interface ReadOptions {
  negotiation: string;
  at?: string;
  knownAt?: string;
  publicAt?: string;
  version?: string;
  scenario?: string;
  between?: string;
  model?: string;
  json?: boolean;
}

// Colours only where a person reads them.
const PLAIN = process.stdout.isTTY ? {} : { head: [], border: [] };
const fmt = (n: number | null) => (n === null ? '–' : String(Math.round(n * 100) / 100));
const query = (o: ReadOptions): Record<string, string> => ({
  ...(o.at ? { at: o.at } : {}),
  ...(o.knownAt ? { knownAt: o.knownAt } : {}),
  ...(o.publicAt ? { publicAt: o.publicAt } : {}),
  ...(o.version ? { version: o.version } : {}),
  ...(o.scenario ? { scenario: o.scenario } : {}),
});

/** `parley stances` and `parley gaps`: the as-of reads, as a table or --json. */
export function registerReads(program: Command): void {
  const common = (command: Command) =>
    command
      .requiredOption('-n, --negotiation <nid>', 'negotiation id')
      .option('--at <when>', 'valid time: instant or date (end of that UTC day); default now')
      .option('--known-at <when>', 'recorded time: instant or date; default now')
      .option('--public-at <when>', 'only reports public by then')
      .option('--version <n>', 'a cited version: only the first n events count')
      .option('--scenario <name>', 'a scenario branch: the record up to its base and its hypothetical events')
      .option('--json', 'print the JSON answer instead of a table');

  common(program.command('stances').description("each party's stance on each issue, as of a date")).action(
    async (options: ReadOptions) => {
      const answer = await read<StancesAnswer>(options, '/negotiations/{nid}/stances', (bus, id) =>
        bus.execute(new GetStances(id, parseWith(asOfParams, query(options)))),
      );
      if (options.json) return print(answer);
      const table = new Table({ head: ['party', 'issue', 'value', 'salience', 'since', 'summary'], style: PLAIN });
      for (const s of answer.stances) {
        table.push([`${s.party}${s.hypothetical ? '*' : ''}`, s.issue, fmt(s.value), fmt(s.salience), new Date(s.since).toISOString().slice(0, 10), (s.summary ?? '').slice(0, 60)]);
      }
      print(`stances at ${answer.at}, as known at ${answer.knownAt}${answer.scenario ? ` (scenario ${answer.scenario}: hypothetical rows marked *)` : ''}\n${table.toString()}`);
    },
  );

  common(program.command('gaps').description('gap metrics between parties, as of a date'))
    .option('--between <parties>', 'comma-separated parties; default every pair')
    .action(async (options: ReadOptions) => {
      const params = { ...query(options), ...(options.between ? { between: options.between } : {}) };
      const answer = await read<GapsAnswer>(options, '/negotiations/{nid}/gaps', (bus, id) => {
        const { between, ...asOf } = parseWith(gapsParams, params);
        return bus.execute(new GetGaps(id, asOf, between));
      }, params);
      if (options.json) return print(answer);
      const table = new Table({ head: ['a', 'b', 'overall', 'coverage', 'issues (gap)'], style: PLAIN });
      for (const p of answer.pairs) {
        table.push([p.a, p.b, fmt(p.overall), fmt(p.coverage), p.issues.map((i) => `${i.issue} ${fmt(i.gap)}`).join(', ')]);
      }
      print(`gaps at ${answer.at}, as known at ${answer.knownAt}${answer.scenario ? ` (scenario ${answer.scenario})` : ''}\n${table.toString()}`);
    });

  registerAnalyses(program, common);
}

/** `parley zones`, `parley outcomes`, `parley version`: the analyses and citations of docs/metrics.md. */
function registerAnalyses(program: Command, common: (command: Command) => Command): void {
  common(program.command('zones').description('zones of possible agreement from declared red lines, as of a date'))
    .option('--between <parties>', 'comma-separated parties; default every party')
    .action(async (options: ReadOptions) => {
      const params = { ...query(options), ...(options.between ? { between: options.between } : {}) };
      const answer = await read<{ zones: Zone[] }>(options, '/negotiations/{nid}/zones', (bus, id) => {
        const { between, ...asOf } = parseWith(gapsParams, params);
        return bus.execute(new GetZones(id, asOf, between));
      }, params);
      if (options.json) return print(answer);
      const table = new Table({ head: ['issue', 'zone', 'determined', 'assumed', 'outside'], style: PLAIN });
      for (const z of answer.zones) {
        table.push([z.issue, z.zone ? `${fmt(z.zone.from)}–${fmt(z.zone.to)}` : `none (short by ${fmt(z.shortfall)})`, z.determined ? 'yes' : 'no', z.assumed.join(', '), z.outside.map((o) => `${o.party} ${fmt(o.value)}`).join(', ')]);
      }
      print(table.toString());
    });

  common(program.command('outcomes').description('predicted outcomes per issue (compromise or weighted-median model)'))
    .option('--model <model>', 'compromise or weighted-median', 'compromise')
    .action(async (options: ReadOptions) => {
      const params = { ...query(options), model: options.model ?? 'compromise' };
      const answer = await read<{ model: string; outcomes: Outcome[] }>(options, '/negotiations/{nid}/outcomes', (bus, id) => {
        const { model, ...asOf } = parseWith(outcomeParams, params);
        return bus.execute(new GetOutcomes(id, asOf, model));
      }, params);
      if (options.json) return print(answer);
      const table = new Table({ head: ['issue', 'outcome', 'feasible', 'counted', 'missing'], style: PLAIN });
      for (const o of answer.outcomes) {
        table.push([o.issue, fmt(o.outcome), o.feasible === null ? '–' : o.feasible ? 'yes' : `no (${o.breaks.join(', ')})`, o.coverage.counted.join(', '), o.coverage.missing.join(', ')]);
      }
      print(`${answer.model} model\n${table.toString()}`);
    });

  program
    .command('version')
    .description('the SHA-256 and citation of a negotiation at version n')
    .requiredOption('-n, --negotiation <nid>', 'negotiation id')
    .argument('<n>', 'version: the first n events of the stream')
    .action(async (n: string, options: ReadOptions) => {
      const version = parseWith(versionSchema, n, ['n']);
      const answer = await read<{ citation: string }>(options, '/negotiations/{nid}/versions/{n}', (bus, id) => bus.execute(new GetVersion(id, version)), {}, { n: version });
      print(answer);
    });
}

/** The negotiation reads the CLI makes, as the typed client names them. */
export type NegotiationRead = Extract<GetPath, `/negotiations/{nid}/${string}`>;

/**
 * One read, in-process on the database, or through the running server that holds it with the
 * typed client (clients/typescript): the route is checked against the OpenAPI document by tsc.
 */
export async function read<T>(
  options: ReadOptions,
  route: NegotiationRead,
  local: (bus: QueryBus, negotiationId: string) => Promise<T>,
  params: Record<string, string> = query(options),
  path: Record<string, string | number> = {},
): Promise<T> {
  const id = parseWith(negotiationIdSchema, options.negotiation, ['--negotiation']);
  return withTarget(async (target) => {
    if (target.kind === 'local') return local(target.app.get(QueryBus), id);
    // Each route's own parameter types are the document's; the CLI's are checked by its parsers.
    const { data, error, response } = await target.client.GET(route, { params: { path: { nid: id, ...path }, query: params } } as never);
    if (error !== undefined || response.status !== 200) throw serverError(response.status, (error ?? {}) as Record<string, unknown>);
    return data as T;
  });
}

export function print(value: unknown): void {
  process.stdout.write(typeof value === 'string' ? `${value}\n` : `${JSON.stringify(value, null, 2)}\n`);
}
