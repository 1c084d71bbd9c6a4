import { Command, CommandHandler, EventBus, type ICommandHandler } from '@nestjs/cqrs';
import type { ExpectedVersion } from '../../event-store/errors';
import { NegotiationWriter, type WriteOutcome } from './negotiation-writer';
import { timedWrite } from './events-appended';
import type { EventInput } from '../domain/requests';

export class AppendEvents extends Command<WriteOutcome> {
  constructor(
    readonly negotiationId: string,
    readonly events: EventInput[],
    readonly expectedVersion?: ExpectedVersion,
    /** The holder of the key that wrote it (`codedBy`); null when the key names nobody. */
    readonly codedBy: string | null = null,
  ) {
    super();
  }
}

@CommandHandler(AppendEvents)
export class AppendEventsHandler implements ICommandHandler<AppendEvents, WriteOutcome> {
  constructor(
    private readonly writer: NegotiationWriter,
    private readonly eventBus: EventBus,
  ) {}

  execute({ negotiationId, events, expectedVersion, codedBy }: AppendEvents): Promise<WriteOutcome> {
    return timedWrite(this.eventBus, negotiationId, () =>
      this.writer.append(negotiationId, events, expectedVersion, undefined, { codedBy }),
    );
  }
}
