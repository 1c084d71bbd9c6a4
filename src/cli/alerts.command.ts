import { readFileSync } from 'node:fs';
import { QueryBus } from '@nestjs/cqrs';
import type { Command } from 'commander';
import { parseWith } from '../shared/parse-with';
import { ListAlertRules, ReplayAlertRule } from '../alerting/alerts.queries';
import { ruleDefinitionSchema, type RuleDefinition } from '../alerting/alert-rules';
import { negotiationIdSchema } from '../negotiation/domain/requests';
import { instantOrDateSchema } from '../negotiation/domain/time';
import { callRemote, closeTarget, openTarget, serverError } from './context';

interface ReplayOptions {
  negotiation: string;
  rule?: string;
  ruleFile?: string;
  from?: string;
  by: 'recorded' | 'valid';
  json?: boolean;
}

interface Firing {
  type: string;
  at: string;
  summary: string;
}

export function registerAlerts(program: Command): void {
  const alerts = program.command('alerts').description('alert rules');
  alerts
    .command('replay')
    .description('try a rule on history without writing anything')
    .requiredOption('-n, --negotiation <nid>', 'negotiation id')
    .option('--rule <id>', 'an existing rule, by id')
    .option('--rule-file <file>', 'a rule definition (JSON), e.g. {"kind":"gap_threshold","a":"us","b":"ukraine","threshold":70}')
    .option('--from <when>', 'start of the replay (instant or date)')
    .option('--by <time>', '"recorded": as live evaluation judged each append; "valid": as the talks unfolded', 'recorded')
    .option('--json', 'print the JSON answer')
    .action(async (options: ReplayOptions) => {
      const nid = parseWith(negotiationIdSchema, options.negotiation, ['--negotiation']);
      if (options.by !== 'recorded' && options.by !== 'valid') throw new Error('--by: expected "recorded" or "valid"');
      const from = options.from ? parseWith(instantOrDateSchema, options.from, ['--from']) : undefined;
      const target = await openTarget();
      try {
        let firings: Firing[];
        if (target.kind === 'local') {
          const bus = target.app.get(QueryBus);
          const rule = await resolveRule(options, async () => (await bus.execute(new ListAlertRules(nid, false))).rules as never);
          firings = (await bus.execute(new ReplayAlertRule(nid, rule, options.by, from))).firings as Firing[];
        } else {
          const rule = await resolveRule(options, async () => (await callRemote(target, `/negotiations/${nid}/alert-rules`)).body.rules as never);
          const { status, body } = await callRemote(target, `/negotiations/${nid}/alert-rules:replay`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ rule, by: options.by, ...(options.from ? { from: options.from } : {}) }),
          });
          if (status !== 200) throw serverError(status, body);
          firings = body.firings as Firing[];
        }
        if (options.json) {
          process.stdout.write(`${JSON.stringify(firings, null, 2)}\n`);
          return;
        }
        for (const f of firings) process.stdout.write(`${f.at}  ${f.type}  ${f.summary}\n`);
        process.stdout.write(`${firings.length} firing${firings.length === 1 ? '' : 's'} (by ${options.by} time)\n`);
      } finally {
        await closeTarget(target);
      }
    });
}

async function resolveRule(options: ReplayOptions, list: () => Promise<{ id: string; rule: RuleDefinition }[]>): Promise<RuleDefinition> {
  if (options.ruleFile) return parseWith(ruleDefinitionSchema, JSON.parse(readFileSync(options.ruleFile, 'utf8')), ['--rule-file']);
  if (!options.rule) throw new Error('Give --rule <id> or --rule-file <file>');
  const found = (await list()).find((r) => r.id === options.rule);
  if (!found) throw new Error(`No alert rule ${options.rule} in ${options.negotiation}`);
  return found.rule;
}
