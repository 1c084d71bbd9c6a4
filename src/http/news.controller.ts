import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Access } from './auth/access';
import { parseWith } from '../shared/parse-with';
import { ReadAt } from './read-context';
import type { ReadContext } from '../projection-runner/read-gate';
import { negotiationIdSchema } from '../negotiation/domain/requests';
import { slugSchema } from '../negotiation/domain/events';
import { registerSourceSchema, watchTermsSchema } from '../news/news-events';
import { ReceiveNews, RegisterSource, RemoveSource, SetWatchTerms, UnknownSource } from '../news/news.commands';
import { GetInbox, GetWatchTerms, ListSources } from '../news/news.queries';
import { inboxParams, newsSchema } from './params';


/** Feeds (admin), pushed news (writer), watch terms and the inbox (see docs/news.md). */
@ApiTags('news')
@ApiBearerAuth()
@Controller()
export class NewsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post('sources')
  @Access('admin')
  register(@Body() body: unknown) {
    return this.commands.execute(new RegisterSource(parseWith(registerSourceSchema, body)));
  }

  @Get('sources')
  sources(@ReadAt() read: ReadContext) {
    return this.queries.execute(new ListSources(undefined, read));
  }

  @Get('sources/:id')
  async source(@Param('id') id: string, @ReadAt() read: ReadContext) {
    const sourceId = parseWith(slugSchema, id, ['id']);
    const [found] = (await this.queries.execute(new ListSources(sourceId, read))).sources;
    if (!found) throw new UnknownSource(sourceId);
    return found;
  }

  @Delete('sources/:id')
  @Access('admin')
  @HttpCode(204)
  async remove(@Param('id') id: string) {
    await this.commands.execute(new RemoveSource(parseWith(slugSchema, id, ['id'])));
  }

  @Post('negotiations/:nid/news')
  news(@Param('nid') nid: string, @Body() body: unknown) {
    return this.commands.execute(new ReceiveNews(parseWith(negotiationIdSchema, nid, ['nid']), parseWith(newsSchema, body).items));
  }

  @Put('negotiations/:nid/watch')
  setWatch(@Param('nid') nid: string, @Body() body: unknown) {
    return this.commands.execute(new SetWatchTerms(parseWith(negotiationIdSchema, nid, ['nid']), parseWith(watchTermsSchema, body)));
  }

  @Get('negotiations/:nid/watch')
  watch(@Param('nid') nid: string, @ReadAt() read: ReadContext) {
    return this.queries.execute(new GetWatchTerms(parseWith(negotiationIdSchema, nid, ['nid']), read));
  }

  @Get('negotiations/:nid/inbox')
  inbox(@Param('nid') nid: string, @Query() query: unknown, @ReadAt() read: ReadContext) {
    const { status, limit, after } = parseWith(inboxParams, query);
    return this.queries.execute(new GetInbox(parseWith(negotiationIdSchema, nid, ['nid']), status, { limit, after }, read));
  }
}
