import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { negotiationIdSchema } from '../negotiation/domain/requests';
import { acceptSchema, proposalsParams, rejectSchema, reviewRequirementSchema } from '../review/review-requests';
import { AcceptProposal, ListProposals, RejectProposal, SetReviewRequired } from '../review/review.commands';
import { parseWith } from '../shared/parse-with';
import { Access } from './auth/access';
import { callerOf } from './auth/caller';
import { answer } from './write-answer';


/**
 * Review before the record (contract v4): while a negotiation requires review, a writer's
 * append is a proposal (negotiations.controller.ts answers it 202); an admin accepts it, edited
 * or not, into the record, or rejects it with a reason. The reviewer is the admin key's holder.
 */
@ApiTags('review')
@ApiBearerAuth()
@Controller('negotiations/:nid')
export class ReviewController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Put('review')
  @Access('admin')
  require(@Param('nid') nid: string, @Body() body: unknown, @Req() request: Request) {
    const { required } = parseWith(reviewRequirementSchema, body);
    return this.commands.execute(new SetReviewRequired(parseWith(negotiationIdSchema, nid, ['nid']), required, callerOf(request).name ?? null));
  }

  @Get('proposals')
  @Access('writer')
  list(@Param('nid') nid: string, @Query() query: unknown) {
    const { status } = parseWith(proposalsParams, query);
    return this.queries.execute(new ListProposals(parseWith(negotiationIdSchema, nid, ['nid']), status));
  }

  @Post('proposals/:id/accept')
  @Access('admin')
  async accept(@Param('nid') nid: string, @Param('id') id: string, @Body() body: unknown, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const { events } = parseWith(acceptSchema, body ?? {});
    const outcome = await this.commands.execute(
      new AcceptProposal(parseWith(negotiationIdSchema, nid, ['nid']), parseWith(z.uuid(), id, ['id']), callerOf(request).name ?? null, events),
    );
    return { ...answer(outcome, response), proposal: outcome.proposal };
  }

  @Post('proposals/:id/reject')
  @Access('admin')
  @HttpCode(200)
  reject(@Param('nid') nid: string, @Param('id') id: string, @Body() body: unknown, @Req() request: Request) {
    const { reason } = parseWith(rejectSchema, body);
    return this.commands.execute(new RejectProposal(parseWith(negotiationIdSchema, nid, ['nid']), parseWith(z.uuid(), id, ['id']), callerOf(request).name ?? null, reason));
  }
}
