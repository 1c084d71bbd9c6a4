import { readFileSync } from 'node:fs';
import { CommandBus } from '@nestjs/cqrs';
import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { VersionConflict } from '../event-store/errors';
import { ImportEvents } from '../negotiation/writing/import-events.command';
import { RuleViolation } from '../negotiation/domain/errors';
import { InvalidRequest } from '../shared/domain-error';
import { parseNdjson } from '../negotiation/writing/ndjson';
import { negotiationIdSchema } from '../negotiation/domain/requests';
import { asName, callRemote, closeTarget, openTarget, type Target, serverError } from './context';

interface Summary {
  appended: number;
  skipped: number;
  streamVersion: number;
}

interface LineIssue {
  line?: number;
  path: (string | number)[];
  message: string;
}

/** A failure the CLI reports line by line, exiting non-zero. */
class ImportRejected extends Error {
  constructor(readonly issues: LineIssue[]) {
    super('import rejected');
  }
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('append the events of an NDJSON file to a negotiation, all or nothing')
    .argument('<file>', 'NDJSON file, one event per line')
    .requiredOption('-n, --negotiation <nid>', 'negotiation id (slug)')
    .option('--expected-version <version>', 'fail unless the negotiation is at this version')
    .option('--as <name>', 'who coded the file (recorded as codedBy); through a server, its key names the holder instead')
    .action(async (file: string, options: { negotiation: string; expectedVersion?: string; as?: string }) => {
      const negotiation = negotiationIdSchema.safeParse(options.negotiation);
      if (!negotiation.success) throw new Error(`--negotiation: ${negotiation.error.issues[0]!.message}`);
      const codedBy = asName(options.as);
      const text = readFileSync(file, 'utf8');
      const expected = parseExpected(options.expectedVersion);
      const target = await openTarget();
      try {
        if (codedBy !== null && target.kind === 'remote') {
          throw new Error('--as: a running server holds the data; it records the holder of the key you send (PARLEY_API_KEYS role:name:key), not --as');
        }
        const summary = await importInto(target, negotiation.data, text, expected, codedBy);
        process.stdout.write(
          `${negotiation.data}: ${summary.appended} appended, ${summary.skipped} already present, 0 rejected ` +
            `(version ${summary.streamVersion})\n`,
        );
      } catch (error) {
        if (!(error instanceof ImportRejected)) throw error;
        for (const issue of error.issues) {
          const where = issue.line ? `line ${issue.line}` : 'file';
          const path = issue.path.length > 0 ? ` ${issue.path.join('.')}:` : '';
          process.stderr.write(`${file}: ${where}:${path} ${issue.message}\n`);
        }
        const rejected = new Set(error.issues.map((i) => i.line)).size;
        process.stdout.write(`${negotiation.data}: 0 appended, 0 already present, ${rejected} rejected (nothing written)\n`);
        process.exitCode = 1;
      } finally {
        await closeTarget(target);
      }
    });
}

function parseExpected(value: string | undefined): number | 'no_stream' | 'any' | undefined {
  if (value === undefined) return undefined;
  if (value === 'no_stream' || value === 'any') return value;
  if (/^\d+$/.test(value)) return Number(value);
  throw new Error(`--expected-version: expected a number, "no_stream" or "any", got "${value}"`);
}

async function importInto(
  target: Target,
  negotiation: string,
  text: string,
  expected: ReturnType<typeof parseExpected>,
  codedBy: string | null,
): Promise<Summary> {
  if (target.kind === 'remote') {
    const query = expected === undefined ? '' : `?expectedVersion=${expected}`;
    const { status, body } = await callRemote(target, `/negotiations/${negotiation}/events:import${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: text,
    });
    if (status === 400 || status === 422) throw new ImportRejected(body.issues as LineIssue[]);
    if (status >= 300) throw serverError(status, body);
    return body as unknown as Summary;
  }
  const bar = process.stderr.isTTY
    ? new SingleBar({ format: 'parsing {bar} {value}/{total} lines', stream: process.stderr }, Presets.shades_classic)
    : undefined;
  try {
    const lines = await parseNdjson(text, negotiation, (line, total) => {
      if (line === 1) bar?.start(total, 0);
      if (line % 500 === 0 || line === total) bar?.update(line);
    });
    bar?.stop();
    if (process.stderr.isTTY) process.stderr.write(`appending ${lines.length} events in one transaction…\n`);
    const commands = target.app.get(CommandBus);
    return await commands.execute(new ImportEvents(negotiation, lines, expected, codedBy));
  } catch (error) {
    bar?.stop();
    if (error instanceof InvalidRequest || error instanceof RuleViolation) {
      throw new ImportRejected(error.issues);
    }
    if (error instanceof VersionConflict) {
      throw new Error(`The negotiation is at version ${error.actual}, not ${String(error.expected)}: nothing written`);
    }
    throw error;
  }
}
