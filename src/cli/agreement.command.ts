import Table from 'cli-table3';
import type { Command } from 'commander';
import { GetAgreement, type AgreementAnswer, type AlphaFigure } from '../review/agreement.query';
import { agreementParams } from '../review/review-requests';
import { parseWith } from '../shared/parse-with';
import { print, read, type ReadOptions } from './read.commands';

const PLAIN = process.stdout.isTTY ? {} : { head: [], border: [] };
const fmt = (n: number | null) => (n === null ? '–' : n.toFixed(3));

/** `parley agreement`: Krippendorff's α on the double-coded news, as a table or --json. */
export function registerAgreement(program: Command): void {
  program
    .command('agreement')
    .description("inter-coder agreement (Krippendorff's α) on news items coded by two or more people")
    .requiredOption('-n, --negotiation <nid>', 'negotiation id')
    .option('--from <when>', "only codings whose occurredAt is at or after this")
    .option('--to <when>', 'only codings whose occurredAt is at or before this')
    .option('--by <what>', 'also per "issue" or per coder "pair"')
    .option('--json', 'print the JSON answer instead of a table')
    .action(async (options: ReadOptions & { from?: string; to?: string; by?: string }) => {
      const params = { ...(options.from ? { from: options.from } : {}), ...(options.to ? { to: options.to } : {}), ...(options.by ? { by: options.by } : {}) };
      const answer = await read<AgreementAnswer>(
        options,
        '/negotiations/{nid}/agreement',
        (bus, id) => {
          const { from, to, by } = parseWith(agreementParams, params);
          return bus.execute(new GetAgreement(id, from, to, by));
        },
        params,
      );
      if (options.json) return print(answer);
      const table = new Table({ head: ['group', 'measure', 'α', '95 % low', '95 % high', 'pairable'], style: PLAIN });
      const row = (group: string, measure: string, f: AlphaFigure) => table.push([group, measure, fmt(f.estimate), fmt(f.low), fmt(f.high), String(f.pairable)]);
      row('all', 'value (interval)', answer.alpha.value);
      row('all', 'basis (nominal)', answer.alpha.basis);
      row('all', 'assignment (nominal)', answer.alpha.assignment);
      for (const g of answer.groups) row(g.group, 'value (interval)', g.value);
      const agreed = answer.percentAgreement === null ? '–' : `${answer.percentAgreement.toFixed(1)} %`;
      print(`${answer.units} items coded by two or more (${answer.coders.join(', ')}); percent agreement on values ${agreed}; ${answer.disagreements.length} disagreements\n${table.toString()}`);
    });
}
