import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { DatabaseConnection } from '../../database/connection';
import { DATABASE } from '../../database/database.module';

export interface NegotiationSummary {
  id: string;
  title: string;
  version: number;
}

export class ListNegotiations extends Query<{ negotiations: NegotiationSummary[] }> {}

@QueryHandler(ListNegotiations)
export class ListNegotiationsHandler implements IQueryHandler<ListNegotiations> {
  constructor(@Inject(DATABASE) private readonly database: DatabaseConnection) {}

  async execute() {
    const rows = await this.database.db
      .selectFrom('events as opened')
      .where('opened.type', '=', 'NegotiationOpened')
      .select((eb) => [
        'opened.stream_id as id',
        eb.ref('opened.data', '->>').key('title' as never).as('title'),
        eb
          .selectFrom('events')
          .whereRef('events.stream_id', '=', 'opened.stream_id')
          .select((e) => e.fn.max('stream_version').as('version'))
          .as('version'),
      ])
      .orderBy('opened.stream_id')
      .execute();
    return {
      negotiations: rows.map((r) => ({ id: r.id, title: String(r.title), version: Number(r.version) })),
    };
  }
}
