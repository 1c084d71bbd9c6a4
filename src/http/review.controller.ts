import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from './platform';
import { z } from 'zod';
import { negotiationIdSchema } from '../negotiation/domain/requests';
import { acceptSchema, agreementParams, proposalsParams, provenanceParams, rejectSchema, reviewRequirementSchema } from '../review/review-requests';
import { GetProvenance } from '../review/provenance.query';
import { ReadAt } from './read-context';
import type { ReadContext } from '../projection-runner/read-gate';
import { GetAgreement, type AgreementAnswer } from '../review/agreement.query';
import { csvFile, wantsCsv } from './tabular';
import { AcceptProposal, ListProposals, RejectProposal, SetReviewRequired } from '../review/review.commands';
import { parseWith } from '../shared/parse-with';
import { Access } from './auth/access';
import { callerOf, isReviewer } from './auth/caller';
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
    const { required, doubleCoding } = parseWith(reviewRequirementSchema, body);
    return this.commands.execute(new SetReviewRequired(parseWith(negotiationIdSchema, nid, ['nid']), required, callerOf(request).name ?? null, doubleCoding));
  }

  @Get('proposals')
  @Access('writer')
  list(@Param('nid') nid: string, @Query() query: unknown, @Req() request: Request) {
    const { status } = parseWith(proposalsParams, query);
    const caller = callerOf(request);
    // Reviewers (admins, or everyone on a server without keys) see all; coders code blind.
    const viewer = { reviewer: isReviewer(caller.role), name: caller.name ?? null };
    return this.queries.execute(new ListProposals(parseWith(negotiationIdSchema, nid, ['nid']), status, viewer));
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

  /** Krippendorff's α on the double-coded news items, with intervals and the disagreements. */
  @Get('agreement')
  async agreement(@Param('nid') nid: string, @Query() query: unknown, @Req() request: Request) {
    const { from, to, by, format } = parseWith(agreementParams, query);
    const id = parseWith(negotiationIdSchema, nid, ['nid']);
    const answer: AgreementAnswer = await this.queries.execute(new GetAgreement(id, from, to, by));
    if (!wantsCsv(request, format)) return answer;
    return csvFile(agreementRows(answer), AGREEMENT_COLUMNS, `${id}-agreement.csv`);
  }

  /** Where one stance cell comes from: event, coders, reviewer, corrections, proposal, news item. */
  @Get('provenance')
  provenance(@Param('nid') nid: string, @Query() query: unknown, @ReadAt() read: ReadContext) {
    const { party, issue, ...asOf } = parseWith(provenanceParams, query);
    return this.queries.execute(new GetProvenance(parseWith(negotiationIdSchema, nid, ['nid']), party, issue, asOf, read));
  }

  @Post('proposals/:id/reject')
  @Access('admin')
  @HttpCode(200)
  reject(@Param('nid') nid: string, @Param('id') id: string, @Body() body: unknown, @Req() request: Request) {
    const { reason } = parseWith(rejectSchema, body);
    return this.commands.execute(new RejectProposal(parseWith(negotiationIdSchema, nid, ['nid']), parseWith(z.uuid(), id, ['id']), callerOf(request).name ?? null, reason));
  }
}

export const AGREEMENT_COLUMNS = ['group', 'measure', 'metric', 'estimate', 'low', 'high', 'pairable', 'percentAgreement'] as const;

/** The agreement as a table: one row per measure (and per group with `by`). */
function* agreementRows(answer: AgreementAnswer): Generator<Record<string, unknown>> {
  const metric = { value: 'interval', basis: 'nominal', assignment: 'nominal' } as const;
  for (const measure of ['value', 'basis', 'assignment'] as const) {
    yield { group: 'all', measure, metric: metric[measure], ...answer.alpha[measure], percentAgreement: measure === 'value' ? answer.percentAgreement : null };
  }
  for (const g of answer.groups) yield { group: g.group, measure: 'value', metric: 'interval', ...g.value, percentAgreement: g.percentAgreement };
}
