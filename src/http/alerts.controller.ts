import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req } from '@nestjs/common';
import type { Request } from './platform';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { Access } from './auth/access';
import { callerOf } from './auth/caller';
import { parseWith } from '../shared/parse-with';
import { ReadAt } from './read-context';
import type { ReadContext } from '../projection-runner/read-gate';
import { negotiationIdSchema } from '../negotiation/domain/requests';
import { RemoveAlertRule, SaveAlertRule } from '../alerting/alert-rules.commands';
import { ListAlertRules, ListAlerts, ListDeliveries, ReplayAlertRule } from '../alerting/alerts.queries';
import { changeRuleSchema, createRuleSchema } from '../alerting/alert-rules';
import { alertsParams, deliveriesParams, replaySchema } from './params';

const fullRuleSchema = changeRuleSchema.required({ name: true, rule: true });

/** Full webhook URLs carry credentials: only admins (or everyone, on a server without keys) see them. */
const reveals = (request: Request) => ['admin', 'anonymous'].includes(callerOf(request).role);

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('negotiations/:nid')
export class AlertsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post('alert-rules')
  async create(@Param('nid') nid: string, @Body() body: unknown) {
    const id = parseWith(negotiationIdSchema, nid, ['nid']);
    const { id: ruleId, ...input } = parseWith(createRuleSchema, body);
    return this.commands.execute(new SaveAlertRule(id, ruleId ?? randomUUID(), input, false));
  }

  @Get('alert-rules')
  list(@Param('nid') nid: string, @Req() request: Request, @ReadAt() read: ReadContext) {
    return this.queries.execute(new ListAlertRules(parseWith(negotiationIdSchema, nid, ['nid']), reveals(request), read));
  }

  @Put('alert-rules/:rule')
  change(@Param('nid') nid: string, @Param('rule') rule: string, @Body() body: unknown) {
    const { webhook, alertmanager, ...input } = parseWith(fullRuleSchema, body);
    const targets = { ...(webhook ? { webhook } : {}), ...(alertmanager ? { alertmanager } : {}) };
    return this.commands.execute(new SaveAlertRule(parseWith(negotiationIdSchema, nid, ['nid']), parseWith(z.uuid(), rule, ['rule']), { ...input, ...targets }, true));
  }

  @Delete('alert-rules/:rule')
  @HttpCode(204)
  async remove(@Param('nid') nid: string, @Param('rule') rule: string) {
    await this.commands.execute(new RemoveAlertRule(parseWith(negotiationIdSchema, nid, ['nid']), parseWith(z.uuid(), rule, ['rule'])));
  }

  /** Tries a rule on this negotiation's history; writes nothing. */
  @Post('alert-rules::replay')
  @Access('reader')
  @HttpCode(200)
  replay(@Param('nid') nid: string, @Body() body: unknown, @ReadAt() read: ReadContext) {
    const { rule, by, from } = parseWith(replaySchema, body);
    return this.queries.execute(new ReplayAlertRule(parseWith(negotiationIdSchema, nid, ['nid']), rule, by, from, read));
  }

  @Get('alerts')
  alerts(@Param('nid') nid: string, @Query() query: unknown, @ReadAt() read: ReadContext) {
    const { from, to } = parseWith(alertsParams, query);
    return this.queries.execute(new ListAlerts(parseWith(negotiationIdSchema, nid, ['nid']), from, to, read));
  }

  @Get('alerts/deliveries')
  deliveries(@Param('nid') nid: string, @Query() query: unknown, @Req() request: Request, @ReadAt() read: ReadContext) {
    const { status } = parseWith(deliveriesParams, query);
    return this.queries.execute(new ListDeliveries(parseWith(negotiationIdSchema, nid, ['nid']), reveals(request), status, read));
  }
}
