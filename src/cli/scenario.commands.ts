import { readFileSync } from 'node:fs';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import Table from 'cli-table3';
import type { Command } from 'commander';
import type { ScenarioInfo } from '../negotiation/domain/scenarios';
import { negotiationIdSchema } from '../negotiation/domain/requests';
import { scenarioNameSchema } from '../negotiation/domain/scenarios';
import { backtestParams, GetBacktest, type BacktestAnswer } from '../negotiation/outcomes/get-backtest.query';
import { parseNdjson } from '../negotiation/writing/ndjson';
import type { WriteOutcome } from '../negotiation/writing/negotiation-writer';
import { GetScenarioDiff, type DiffAnswer } from '../scenarios/scenario-diff.query';
import { diffParams, fromSchema, scenarioListParams } from '../scenarios/scenario-requests';
import { AppendHypothetical, CloseScenario, ListScenarios, OpenScenario, RebaseScenario } from '../scenarios/scenarios.commands';
import { parseWith } from '../shared/parse-with';
import { InvalidRequest } from '../shared/domain-error';
import { RuleViolation } from '../negotiation/domain/errors';
import { asName, callRemote, serverError, withTarget, type Target } from './context';
import { print, read, type ReadOptions } from './read.commands';

const PLAIN = process.stdout.isTTY ? {} : { head: [], border: [] };
const fmt = (n: number | null) => (n === null ? '–' : String(Math.round(n * 100) / 100));
const signed = (n: number | null) => (n === null ? '–' : `${n > 0 ? '+' : ''}${fmt(n)}`);

interface Scoped {
  negotiation: string;
  as?: string;
  json?: boolean;
}

/** Runs `local` on the database, or `remote` through the running server that holds it. */
function run<T>(local: (target: Extract<Target, { kind: 'local' }>) => Promise<T>, remote: { method: string; path: string; body?: string; type?: string }): Promise<T> {
  return withTarget(async (target) => {
    if (target.kind === 'local') return local(target);
    const init = remote.method === 'GET' ? {} : { method: remote.method, headers: { 'content-type': remote.type ?? 'application/json' }, body: remote.body ?? '{}' };
    const { status, body } = await callRemote(target, remote.path, init);
    if (status >= 300) throw serverError(status, body);
    return body as T;
  });
}


/** `--from`: a global position (digits) or a date or instant. */
function fromOption(value: string | undefined) {
  if (value === undefined) return undefined;
  return parseWith(fromSchema, /^\d+$/.test(value) ? Number(value) : value, ['--from']);
}

const describe = (s: ScenarioInfo) =>
  `${s.name} (${s.status}): base ${s.base}${s.until ? `, forked at ${s.until}` : ''}, ${s.events} hypothetical events, version ${s.version}${s.description ? `\n  ${s.description}` : ''}`;

/** `parley scenario …`: branches from a terminal (open, list, import, diff, rebase, close). */
export function registerScenarios(program: Command): void {
  const scenario = program.command('scenario').description('scenario branches: the record up to a base, plus hypothetical events');
  const ids = (name: string, options: Scoped) => ({
    nid: parseWith(negotiationIdSchema, options.negotiation, ['--negotiation']),
    name: parseWith(scenarioNameSchema, name, ['name']),
  });

  scenario
    .command('open')
    .description('open a branch on the record as it is, or as of --from')
    .argument('<name>', 'the branch name (a slug, never reused)')
    .requiredOption('-n, --negotiation <nid>', 'negotiation id')
    .option('--from <date|position>', 'a date or instant (fork in valid time), or a global position (the log as it was)')
    .option('--description <text>', 'what the branch supposes')
    .option('--as <name>', 'who opens it, on a local database')
    .action(async (name: string, options: Scoped & { from?: string; description?: string }) => {
      const { nid, name: branch } = ids(name, options);
      const from = fromOption(options.from);
      const info = await run<ScenarioInfo>(
        (t) => t.app.get(CommandBus).execute(new OpenScenario(nid, branch, from, options.description, asName(options.as))),
        { method: 'POST', path: `/negotiations/${nid}/scenarios`, body: JSON.stringify({ name: branch, ...(options.from ? { from: /^\d+$/.test(options.from) ? Number(options.from) : options.from } : {}), ...(options.description ? { description: options.description } : {}) }) },
      );
      print(`opened ${describe(info)}`);
    });

  scenario
    .command('list')
    .description("the negotiation's branches, open and closed")
    .requiredOption('-n, --negotiation <nid>', 'negotiation id')
    .option('--status <status>', 'open or closed')
    .option('--json', 'print the JSON answer')
    .action(async (options: Scoped & { status?: string }) => {
      const nid = parseWith(negotiationIdSchema, options.negotiation, ['--negotiation']);
      const { status } = parseWith(scenarioListParams, options.status ? { status: options.status } : {});
      const answer = await run<{ scenarios: ScenarioInfo[] }>((t) => t.app.get(QueryBus).execute(new ListScenarios(nid, status)), {
        method: 'GET',
        path: `/negotiations/${nid}/scenarios${status ? `?status=${status}` : ''}`,
      });
      if (options.json) return print(answer);
      print(answer.scenarios.length === 0 ? 'no scenarios' : answer.scenarios.map(describe).join('\n'));
    });

  scenario
    .command('import')
    .description('append the hypothetical events of an NDJSON file to a branch, all or nothing')
    .argument('<name>', 'the branch')
    .argument('<file>', 'NDJSON file, one event per line')
    .requiredOption('-n, --negotiation <nid>', 'negotiation id')
    .option('--as <name>', 'who coded them, on a local database')
    .action(async (name: string, file: string, options: Scoped) => {
      const { nid, name: branch } = ids(name, options);
      const text = readFileSync(file, 'utf8');
      try {
        const answer = await run<Pick<WriteOutcome, 'appended' | 'skipped' | 'streamVersion'>>(
          async (t) => {
            const lines = await parseNdjson(text, nid);
            return t.app.get(CommandBus).execute(new AppendHypothetical(nid, branch, lines.map((l) => l.event), undefined, asName(options.as), lines.map((l) => l.line)));
          },
          { method: 'POST', path: `/negotiations/${nid}/scenarios/${branch}/events:import`, body: text, type: 'application/x-ndjson' },
        );
        print(`${nid} scenario ${branch}: ${answer.appended} appended, ${answer.skipped} already present (branch version ${answer.streamVersion})`);
      } catch (error) {
        // A refused file, line by line (as `parley import` reports it), and nothing written.
        const issues = error instanceof InvalidRequest || error instanceof RuleViolation ? error.issues : undefined;
        if (!issues) throw error;
        for (const issue of issues) process.stderr.write(`${file}: ${issue.line ? `line ${issue.line}` : 'file'}:${issue.path.length > 0 ? ` ${issue.path.join('.')}:` : ''} ${issue.message}\n`);
        print(`${nid} scenario ${branch}: nothing written`);
        process.exitCode = 1;
      }
    });

  scenario
    .command('diff')
    .description('the branch beside the record: stances, gaps and both models\' outcomes, and what changed')
    .argument('<name>', 'the branch')
    .requiredOption('-n, --negotiation <nid>', 'negotiation id')
    .option('--at <when>', 'valid time; default now')
    .option('--known-at <when>', 'recorded time; default now')
    .option('--between <parties>', 'comma-separated parties; default every party')
    .option('--json', 'print the JSON answer instead of tables')
    .action(async (name: string, options: Scoped & { at?: string; knownAt?: string; between?: string }) => {
      const { nid, name: branch } = ids(name, options);
      const params = { ...(options.at ? { at: options.at } : {}), ...(options.knownAt ? { knownAt: options.knownAt } : {}), ...(options.between ? { between: options.between } : {}) };
      const answer = await run<DiffAnswer>(
        (t) => {
          const { between, ...asOf } = parseWith(diffParams, params);
          return t.app.get(QueryBus).execute(new GetScenarioDiff(nid, branch, asOf, between));
        },
        { method: 'GET', path: `/negotiations/${nid}/scenarios/${branch}/diff?${new URLSearchParams(params)}` },
      );
      if (options.json) return print(answer);
      const stances = new Table({ head: ['party', 'issue', 'record', 'branch', 'change'], style: PLAIN });
      for (const s of answer.difference.stances) stances.push([s.party, s.issue, fmt(s.record), `${fmt(s.branch)}${s.hypothetical ? ' *' : ''}`, signed(s.change)]);
      const gaps = new Table({ head: ['a', 'b', 'record', 'branch', 'change'], style: PLAIN });
      for (const p of answer.difference.pairs) gaps.push([p.a, p.b, fmt(p.overall.record), fmt(p.overall.branch), signed(p.overall.change)]);
      const outcomes = new Table({ head: ['issue', 'model', 'record', 'branch', 'change'], style: PLAIN });
      for (const o of answer.difference.outcomes) outcomes.push([o.issue, o.model, fmt(o.record), fmt(o.branch), signed(o.change)]);
      print(`scenario ${answer.scenario} at ${answer.at} (hypothetical stances marked *)\nstances the branch changes\n${stances.toString()}\noverall gaps\n${gaps.toString()}\noutcomes\n${outcomes.toString()}`);
    });

  scenario
    .command('rebase')
    .description('move the branch onto the record as it is now (or as of --from)')
    .argument('<name>', 'the branch')
    .requiredOption('-n, --negotiation <nid>', 'negotiation id')
    .option('--from <date|position>', 'a date or instant, or a global position')
    .option('--as <name>', 'who rebases it, on a local database')
    .action(async (name: string, options: Scoped & { from?: string }) => {
      const { nid, name: branch } = ids(name, options);
      const from = fromOption(options.from);
      const info = await run<ScenarioInfo>((t) => t.app.get(CommandBus).execute(new RebaseScenario(nid, branch, from, asName(options.as))), {
        method: 'POST',
        path: `/negotiations/${nid}/scenarios/${branch}/rebase`,
        body: JSON.stringify(options.from ? { from: /^\d+$/.test(options.from) ? Number(options.from) : options.from } : {}),
      });
      print(`rebased ${describe(info)}`);
    });

  scenario
    .command('close')
    .description('close the branch: its reads answer 404; the record keeps that it existed')
    .argument('<name>', 'the branch')
    .requiredOption('-n, --negotiation <nid>', 'negotiation id')
    .option('--as <name>', 'who closes it, on a local database')
    .action(async (name: string, options: Scoped) => {
      const { nid, name: branch } = ids(name, options);
      const info = await run<ScenarioInfo>((t) => t.app.get(CommandBus).execute(new CloseScenario(nid, branch, asName(options.as))), {
        method: 'DELETE',
        path: `/negotiations/${nid}/scenarios/${branch}`,
      });
      print(`closed ${describe(info)}`);
    });
}

/** `parley backtest`: the outcome models scored without hindsight against the recorded outcomes. */
export function registerBacktest(program: Command): void {
  program
    .command('backtest')
    .description('score the outcome models as known at each date against the recorded outcomes')
    .requiredOption('-n, --negotiation <nid>', 'negotiation id')
    .option('--model <model>', 'compromise, weighted-median or baseline', 'compromise')
    .option('--from <when>', 'first date predicted; default the first position')
    .option('--to <when>', 'last date predicted; default the last outcome')
    .option('--step <duration>', 'between dates (P1D, P7D, 6h…)')
    .option('--by <what>', 'recorded (what Parley held then) or public (what was published by then)', 'recorded')
    .option('--json', 'print the JSON answer instead of tables')
    .action(async (options: ReadOptions & { from?: string; to?: string; step?: string; by?: string }) => {
      const params: Record<string, string> = {
        model: options.model ?? 'compromise',
        by: options.by ?? 'recorded',
        ...(options.from ? { from: options.from } : {}),
        ...(options.to ? { to: options.to } : {}),
        ...(options.step ? { step: options.step } : {}),
      };
      const answer = await read<BacktestAnswer>(options, '/negotiations/{nid}/backtest', (bus, id) => {
        const { format, ...parsed } = parseWith(backtestParams, params);
        return bus.execute(new GetBacktest(id, parsed));
      }, params);
      if (options.json) return print(answer);
      if (answer.outcomes.length === 0) return print('no recorded outcomes: nothing to score (record them as OutcomeRecorded events)');
      const points = new Table({ head: ['date', 'mean error', ...answer.outcomes.map((o) => o.issue)], style: PLAIN });
      for (const p of answer.points) points.push([p.at.slice(0, 10), fmt(p.mean), ...answer.outcomes.map((o) => fmt(p.issues.find((i) => i.issue === o.issue)?.error ?? null))]);
      const models = new Table({ head: ['model', 'mean abs. error', 'final'], style: PLAIN });
      for (const m of answer.comparison.models) models.push([m.model, fmt(m.meanAbsoluteError), fmt(m.final)]);
      const best = answer.comparison.best ? `best: ${answer.comparison.best}${answer.comparison.margin === null ? '' : `, by ${fmt(answer.comparison.margin)}`}` : 'no model could be scored';
      print(`${answer.model} model, as known at each date (${answer.by} time); errors on the 0–100 scale\n${points.toString()}\n${models.toString()}\n${best}`);
    });
}
