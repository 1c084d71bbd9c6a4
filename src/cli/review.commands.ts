import { readFileSync } from 'node:fs';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import Table from 'cli-table3';
import type { Command } from 'commander';
import { negotiationIdSchema } from '../negotiation/domain/requests';
import { parseNdjson } from '../negotiation/writing/ndjson';
import { AcceptProposal, ListProposals, RejectProposal, type ListedProposal } from '../review/review.commands';
import { proposalsParams } from '../review/review-requests';
import { parseWith } from '../shared/parse-with';
import { asName, callRemote, serverError, withTarget as run, type Target } from './context';

const PLAIN = process.stdout.isTTY ? {} : { head: [], border: [] };

/** Who decides: through a server, its key's holder; locally (the database itself), `--as`. */
function reviewer(as: string | undefined, target: Target): string | null {
  if (as !== undefined && target.kind === 'remote') throw new Error('--as: a running server records the holder of the key you send (PARLEY_API_KEY), not --as');
  return asName(as);
}

async function remote(target: Extract<Target, { kind: 'remote' }>, path: string, body?: unknown) {
  const { status, body: answer } = await callRemote(target, path, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (status >= 300) throw serverError(status, answer);
  return answer;
}

const describe = (e: Record<string, unknown>) => {
  const d = (e.data ?? {}) as Record<string, unknown>;
  return `${String(e.type)} ${[d.party, d.issue, d.value].filter((v) => v !== undefined).join(' ')}`.trim();
};

/** `parley proposals`, `parley accept`, `parley reject`: the review queue from a terminal. */
export function registerReview(program: Command): void {
  program
    .command('proposals')
    .description('the review queue: proposals of a negotiation that requires review')
    .requiredOption('-n, --negotiation <nid>', 'negotiation id')
    .option('--status <status>', 'open (default), accepted or rejected', 'open')
    .option('--json', 'print the JSON answer instead of a table')
    .action(async (options: { negotiation: string; status: string; json?: boolean }) => {
      const id = parseWith(negotiationIdSchema, options.negotiation, ['--negotiation']);
      const { status } = parseWith(proposalsParams, { status: options.status });
      const answer = await run(async (target) =>
        target.kind === 'local'
          ? target.app.get(QueryBus).execute(new ListProposals(id, status))
          : ((await remote(target, `/negotiations/${id}/proposals?status=${status}`)) as { proposals: ListedProposal[] }),
      );
      if (options.json) return void process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
      const table = new Table({ head: ['proposal', 'coded by', 'submitted', 'events', 'decided by'], style: PLAIN });
      for (const p of answer.proposals) table.push([p.id, p.codedBy ?? '–', p.submittedAt.slice(0, 19), p.events.map(describe).join('; ').slice(0, 60), p.reviewedBy ?? '–']);
      process.stdout.write(`${answer.proposals.length} ${status} proposals\n${table.toString()}\n`);
    });

  program
    .command('accept')
    .description('accept a proposal into the record (optionally edited: an NDJSON file of the events to enter instead)')
    .argument('<proposal>', 'proposal id')
    .requiredOption('-n, --negotiation <nid>', 'negotiation id')
    .option('--edit <file>', 'NDJSON file: these events enter instead of the proposed ones')
    .option('--as <name>', 'the reviewer, on a local database')
    .action(async (proposal: string, options: { negotiation: string; edit?: string; as?: string }) => {
      const id = parseWith(negotiationIdSchema, options.negotiation, ['--negotiation']);
      const edited = options.edit ? (await parseNdjson(readFileSync(options.edit, 'utf8'), id)).map((l) => l.event) : undefined;
      const answer = await run(async (target) => {
        const by = reviewer(options.as, target);
        if (target.kind === 'local') return target.app.get(CommandBus).execute(new AcceptProposal(id, proposal, by, edited));
        return remote(target, `/negotiations/${id}/proposals/${proposal}/accept`, edited ? { events: JSON.parse(JSON.stringify(edited)) } : {});
      });
      process.stdout.write(`${id}: proposal ${proposal} accepted, ${String(answer.appended)} events appended (version ${String(answer.streamVersion)})\n`);
    });

  program
    .command('reject')
    .description('reject a proposal, with the reason kept')
    .argument('<proposal>', 'proposal id')
    .requiredOption('-n, --negotiation <nid>', 'negotiation id')
    .requiredOption('--reason <text>', 'why: kept with the proposal')
    .option('--as <name>', 'the reviewer, on a local database')
    .action(async (proposal: string, options: { negotiation: string; reason: string; as?: string }) => {
      const id = parseWith(negotiationIdSchema, options.negotiation, ['--negotiation']);
      await run(async (target) => {
        const by = reviewer(options.as, target);
        if (target.kind === 'local') return target.app.get(CommandBus).execute(new RejectProposal(id, proposal, by, options.reason));
        return remote(target, `/negotiations/${id}/proposals/${proposal}/reject`, { reason: options.reason });
      });
      process.stdout.write(`${id}: proposal ${proposal} rejected\n`);
    });
}
