import { Command, CommandHandler, EventBus, type ICommandHandler } from '@nestjs/cqrs';
import type { ExpectedVersion } from '../../event-store/errors';
import type { ParsedLine } from './ndjson';
import { NegotiationWriter, type WriteOutcome } from './negotiation-writer';
import { timedWrite } from './events-appended';

/** A parsed NDJSON file: one transaction, all lines or none. */
export class ImportEvents extends Command<WriteOutcome> {
  constructor(
    readonly negotiationId: string,
    readonly lines: ParsedLine[],
    readonly expectedVersion?: ExpectedVersion,
    /** Who coded the file (the key's holder, or the CLI's `--as`); null when unnamed. */
    readonly codedBy: string | null = null,
  ) {
    super();
  }
}

@CommandHandler(ImportEvents)
export class ImportEventsHandler implements ICommandHandler<ImportEvents, WriteOutcome> {
  constructor(
    private readonly writer: NegotiationWriter,
    private readonly eventBus: EventBus,
  ) {}

  execute({ negotiationId, lines, expectedVersion, codedBy }: ImportEvents): Promise<WriteOutcome> {
    return timedWrite(this.eventBus, negotiationId, () =>
      this.writer.append(
        negotiationId,
        lines.map((l) => l.event),
        expectedVersion,
        (index) => ({ path: [], line: lines[index]!.line }),
        { codedBy },
      ),
    );
  }
}
