import { readFileSync } from 'node:fs';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CONFIG, type Config } from '../../config/config';
import { EXAMPLE_NEGOTIATION, exampleDatasetPath } from '../../config/paths';
import { EventStore } from '../../event-store/event-store';
import { ImportEvents } from './import-events.command';
import { parseNdjson } from './ndjson';

/**
 * A newcomer's first `npm start` (embedded database, nothing in it) shows real data: the
 * April 2025 example. Its lines carry stable ids, so loading it twice appends nothing.
 */
@Injectable()
export class ExampleDataset implements OnApplicationBootstrap {
  private readonly logger = new Logger(ExampleDataset.name);

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly store: EventStore,
    private readonly commands: CommandBus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // `auto`: on the embedded database only; `always`: on any empty log (docker compose).
    const { PARLEY_LOAD_EXAMPLE: mode } = this.config;
    if (mode === 'never' || (mode === 'auto' && this.config.DATABASE_URL)) return;
    if ((await this.store.headPosition()) > 0) return;
    const lines = parseNdjson(readFileSync(exampleDatasetPath(), 'utf8'), EXAMPLE_NEGOTIATION);
    const outcome = await this.commands.execute(new ImportEvents(EXAMPLE_NEGOTIATION, lines));
    this.logger.log(
      { negotiation: EXAMPLE_NEGOTIATION, appended: outcome.appended },
      `Loaded the example dataset into "${EXAMPLE_NEGOTIATION}" (${outcome.appended} events)`,
    );
  }
}
