import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Access } from './auth/access';
import { openApiSchema } from './openapi';
import { parseWith } from '../negotiation/domain/parse';
import { negotiationIdSchema } from '../negotiation/domain/requests';
import { slugSchema } from '../negotiation/domain/events';
import { newsItemInputSchema, registerSourceSchema, watchTermsSchema } from '../news/news-events';
import { ReceiveNews, RegisterSource, RemoveSource, SetWatchTerms, UnknownSource } from '../news/news.commands';
import { GetInbox, GetWatchTerms, ListSources } from '../news/news.queries';

const newsSchema = z.object({ items: z.array(newsItemInputSchema).min(1).max(1000) }).strict();
const inboxParams = z.object({ status: z.enum(['new', 'coded', 'dismissed']).optional() });

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
  @ApiBody({ schema: openApiSchema(registerSourceSchema) })
  register(@Body() body: unknown) {
    return this.commands.execute(new RegisterSource(parseWith(registerSourceSchema, body)));
  }

  @Get('sources')
  sources() {
    return this.queries.execute(new ListSources());
  }

  @Get('sources/:id')
  async source(@Param('id') id: string) {
    const sourceId = parseWith(slugSchema, id, ['id']);
    const [found] = (await this.queries.execute(new ListSources(sourceId))).sources;
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
  @ApiBody({ schema: openApiSchema(newsSchema) })
  news(@Param('nid') nid: string, @Body() body: unknown) {
    return this.commands.execute(new ReceiveNews(parseWith(negotiationIdSchema, nid, ['nid']), parseWith(newsSchema, body).items));
  }

  @Put('negotiations/:nid/watch')
  @ApiBody({ schema: openApiSchema(watchTermsSchema) })
  setWatch(@Param('nid') nid: string, @Body() body: unknown) {
    return this.commands.execute(new SetWatchTerms(parseWith(negotiationIdSchema, nid, ['nid']), parseWith(watchTermsSchema, body).terms));
  }

  @Get('negotiations/:nid/watch')
  watch(@Param('nid') nid: string) {
    return this.queries.execute(new GetWatchTerms(parseWith(negotiationIdSchema, nid, ['nid'])));
  }

  @Get('negotiations/:nid/inbox')
  inbox(@Param('nid') nid: string, @Query() query: unknown) {
    const { status } = parseWith(inboxParams, query);
    return this.queries.execute(new GetInbox(parseWith(negotiationIdSchema, nid, ['nid']), status));
  }
}
