import { Inject, Injectable } from '@nestjs/common';
import type { DatabaseConnection } from '../database/connection';
import { DATABASE } from '../database/database.module';
import type { CitationSource } from '../negotiation/writing/negotiation-writer';
import { storedItems } from './news.repository';

/** What negotiation events citing a news item learn of it (app.module gives it to the writer). */
@Injectable()
export class NewsCitations implements CitationSource {
  constructor(@Inject(DATABASE) private readonly connection: DatabaseConnection) {}

  async lookup(ids: string[]) {
    const items = await storedItems(this.connection.db, ids);
    return new Map([...items].map(([id, item]) => [id, { url: item.url, publisher: item.publisher, publishedAt: item.publishedAt }]));
  }
}
