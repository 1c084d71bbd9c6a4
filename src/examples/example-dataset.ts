import { readFileSync } from 'node:fs';
import { Inject, Injectable, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CONFIG, type Config } from '../config/config';
import { EXAMPLE_NEGOTIATION, exampleDatasetPath, exampleNewsPath } from '../config/paths';
import { EventStore } from '../event-store/event-store';
import { newsStream } from '../negotiation/domain/streams';
import { ImportEvents } from '../negotiation/writing/import-events.command';
import { parseNdjson } from '../negotiation/writing/ndjson';
import { newsItemInputSchema } from '../news/news-events';
import { appendItems } from '../news/news-intake';
import { itemReceived } from '../news/news-items';

/**
 * A newcomer's first `npm start` (embedded database, nothing in it) shows real data: the April
 * 2025 example, with the news item it was coded from. The item goes in first; every event
 * then cites it (`source.itemId`), so the inbox lists it as coded by all of them. The events
 * file stays portable (it names no item): the citation is added here, to the lines as read, and
 * the lines' ids are derived from what is stored, so loading twice appends nothing.
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
    const items = readFileSync(exampleNewsPath(), 'utf8')
      .trim()
      .split('\n')
      .map((line) => itemReceived({ negotiation: EXAMPLE_NEGOTIATION }, newsItemInputSchema.parse(JSON.parse(line))));
    await appendItems(this.store, newsStream(EXAMPLE_NEGOTIATION), items);
    const report = items[0]!.data;
    const cited = readFileSync(exampleDatasetPath(), 'utf8')
      .trim()
      .split('\n')
      .map((line) => {
        const event = JSON.parse(line) as { source?: { title?: string } };
        return JSON.stringify(event.source?.title === report.title ? { ...event, source: { ...event.source, itemId: report.item } } : event);
      })
      .join('\n');
    const outcome = await this.commands.execute(new ImportEvents(EXAMPLE_NEGOTIATION, await parseNdjson(cited, EXAMPLE_NEGOTIATION)));
    this.logger.log(
      { negotiation: EXAMPLE_NEGOTIATION, appended: outcome.appended, items: items.length },
      `Loaded the example dataset into "${EXAMPLE_NEGOTIATION}" (${outcome.appended} events, ${items.length} news item)`,
    );
  }
}

@Module({ providers: [ExampleDataset] })
export class ExamplesModule {}
