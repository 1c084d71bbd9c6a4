import { DomainError } from '../shared/domain-error';
import { randomBytes } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { sql } from 'kysely';
import type { z } from 'zod';
import { CONFIG, type Config } from '../config/config';
import type { DatabaseConnection } from '../database/connection';
import { DATABASE } from '../database/database.module';
import { EventStore } from '../event-store/event-store';
import { RuleViolation, requireNegotiation } from '../negotiation/domain/errors';
import { NegotiationWriter } from '../negotiation/writing/negotiation-writer';
import type { NegotiationState } from '../negotiation/domain/state';
import { rulesStream } from '../negotiation/domain/streams';
import type { RuleDefinition, createRuleSchema } from './alert-rules';
import { hostAllowed, redactUrl } from '../outbound/allow-list';

type RuleInput = z.infer<typeof createRuleSchema>;

export class UnknownRule extends DomainError {
  readonly code = 'ALERTS.UNKNOWN_RULE';
  constructor(readonly ruleId: string) {
    super(`No alert rule ${ruleId} in this negotiation`);
  }
}

export class SaveAlertRule extends Command<{ id: string; secret?: string }> {
  constructor(
    readonly negotiationId: string,
    readonly ruleId: string,
    readonly input: Omit<RuleInput, 'id'>,
    readonly change: boolean,
  ) {
    super();
  }
}

export class RemoveAlertRule extends Command<void> {
  constructor(
    readonly negotiationId: string,
    readonly ruleId: string,
  ) {
    super();
  }
}

/** Parties and issues a rule names, for checking them against the negotiation. */
function references(rule: RuleDefinition): { parties: string[]; issues: string[] } {
  switch (rule.kind) {
    case 'gap_threshold':
    case 'gap_change':
      return { parties: [rule.a, rule.b], issues: rule.issue ? [rule.issue] : [] };
    case 'position_shift':
      return { parties: [rule.party], issues: [rule.issue] };
    case 'news':
      return { parties: rule.party ? [rule.party] : [], issues: rule.issue ? [rule.issue] : [] };
    case 'outcome':
      return { parties: [], issues: rule.issue ? [rule.issue] : [] };
    case 'red_line':
      return rule.mode === 'zone'
        ? { parties: rule.parties, issues: [rule.issue] }
        : { parties: [rule.party, ...(rule.of ? [rule.of] : [])], issues: [rule.issue] };
  }
}

function checkRule(state: NegotiationState, input: Omit<RuleInput, 'id'>, allow: string[]): void {
  const { parties, issues } = references(input.rule);
  const problems = [
    ...parties.filter((p) => !state.parties.has(p)).map((p) => ({ code: 'NEGOTIATION.UNKNOWN_PARTY', path: ['rule'], message: `Unknown party "${p}"` })),
    ...issues.filter((i) => !state.issues.has(i)).map((i) => ({ code: 'NEGOTIATION.UNKNOWN_ISSUE', path: ['rule', 'issue'], message: `Unknown issue "${i}"` })),
  ];
  // Every target a rule posts to passes the same outbound allow-list.
  const targets = [['webhook', 'webhook', input.webhook], ['alertmanager', 'Alertmanager', input.alertmanager]] as const;
  for (const [field, name, target] of targets) {
    if (target && !hostAllowed(target.url, allow)) {
      problems.push({ code: 'ALERTS.WEBHOOK_NOT_ALLOWED', path: [field, 'url'], message: `The ${name} host is not in PARLEY_WEBHOOK_ALLOW (rules may not aim at arbitrary hosts)` });
    }
  }
  if (problems.length > 0) throw new RuleViolation(problems);
}

@CommandHandler(SaveAlertRule)
export class SaveAlertRuleHandler implements ICommandHandler<SaveAlertRule> {
  constructor(
    private readonly store: EventStore,
    private readonly writer: NegotiationWriter,
    @Inject(DATABASE) private readonly database: DatabaseConnection,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async execute({ negotiationId, ruleId, input, change }: SaveAlertRule) {
    const state = await this.writer.stateOf(negotiationId);
    requireNegotiation(negotiationId, state.version);
    if (change && !(await ruleExists(this.database, ruleId, negotiationId))) throw new UnknownRule(ruleId);
    checkRule(state, input, this.config.PARLEY_WEBHOOK_ALLOW);
    // A secret is generated when none is given, and answered this once.
    const generated = input.webhook && !input.webhook.secret ? randomBytes(24).toString('base64url') : undefined;
    await this.database.db.transaction().execute(async (trx) => {
      await this.store.appendInTransaction(trx, rulesStream(negotiationId), [
        {
          ...(change ? {} : { id: ruleId }),
          type: change ? 'AlertRuleChanged' : 'AlertRuleCreated',
          occurredAt: new Date(),
          // History keeps where alerts go (scheme and host), not the credential in the URL.
          data: { rule: ruleId, name: input.name, definition: input.rule, webhookUrl: input.webhook ? redactUrl(input.webhook.url) : null, alertmanagerUrl: input.alertmanager?.url ?? null },
        },
      ]);
      const secret = input.webhook?.secret ?? generated;
      if (input.webhook && secret) {
        const url = input.webhook.url;
        await trx
          .insertInto('webhook_secrets')
          .values({ rule_id: ruleId, secret, url })
          .onConflict((oc) => oc.column('rule_id').doUpdateSet({ secret, url }))
          .execute();
      } else {
        await trx.deleteFrom('webhook_secrets').where('rule_id', '=', ruleId).execute();
      }
    });
    return { id: ruleId, ...(generated ? { secret: generated } : {}) };
  }
}

@CommandHandler(RemoveAlertRule)
export class RemoveAlertRuleHandler implements ICommandHandler<RemoveAlertRule> {
  constructor(
    private readonly store: EventStore,
    @Inject(DATABASE) private readonly database: DatabaseConnection,
  ) {}

  async execute({ negotiationId, ruleId }: RemoveAlertRule) {
    if (!(await ruleExists(this.database, ruleId, negotiationId))) throw new UnknownRule(ruleId);
    await this.database.db.transaction().execute(async (trx) => {
      await this.store.appendInTransaction(trx, rulesStream(negotiationId), [
        { type: 'AlertRuleRemoved', occurredAt: new Date(), data: { rule: ruleId } },
      ]);
      await trx.deleteFrom('webhook_secrets').where('rule_id', '=', ruleId).execute();
    });
  }
}

/** Whether the rule exists and is not removed, read from its stream (the truth, not a projection). */
async function ruleExists(database: DatabaseConnection, ruleId: string, negotiationId: string): Promise<boolean> {
  const last = await database.db
    .selectFrom('events')
    .select('type')
    .where('stream_id', '=', rulesStream(negotiationId))
    .where(sql<boolean>`data->>'rule' = ${ruleId}`)
    .orderBy('global_position', 'desc')
    .executeTakeFirst();
  return last !== undefined && last.type !== 'AlertRuleRemoved';
}

export const alertRuleCommandHandlers = [SaveAlertRuleHandler, RemoveAlertRuleHandler];
