import { sql, type Kysely } from 'kysely';
import type { Database } from '../../database/schema';
import type { Source } from '../domain/events';
import type { DatePrecision } from '../domain/events';
import type { AsOf, PositionDetail, RedLine, Scope, Stance } from './stance';

/**
 * As-of reads over the stance projection. Each (party, issue) pair is answered by one index
 * walk (stance_facts_*_idx) that stops at the first fact that is valid at `at`, known at
 * `knownAt` and not superseded by a later version known then: the cost follows the number
 * of pairs, not the length of the log (docs/architecture.md has the plan).
 */

/**
 * Which facts `f` a question counts, whatever its valid time: recorded by knownAt; public by
 * publicAt when asked (rows projected before the column count as public when recorded);
 * within a cited version (its last global position) when asked; and in force, i.e. no later
 * version of its event was known by then (and, at a cited version, part of it). One place for
 * every query of this projection.
 */
function counted(asOf: Pick<AsOf, 'knownAt' | 'publicAt' | 'upTo' | 'branch' | 'corrections'>) {
  const { knownAt, publicAt } = asOf;
  // corrections=public: an amendment counts once its own report was out by publicAt.
  const amendmentsPublic = publicAt && asOf.corrections === 'public';
  return sql`f.recorded_at <= ${knownAt}
    ${publicAt ? sql`and coalesce(f.public_at, f.recorded_at) <= ${publicAt}` : sql``}
    ${
      amendmentsPublic
        ? sql`and (f.version_position = f.event_position or exists (
            select 1 from stance_versions own
            where own.event_id = f.event_id and own.version_position = f.version_position
              and coalesce(own.public_at, own.recorded_at) <= ${publicAt}))`
        : sql``
    }
    ${within(asOf, 'f', 'version_position', true)}
    and not exists (
      select 1 from stance_versions later
      where later.event_id = f.event_id
        and later.version_position > f.version_position
        and later.recorded_at <= ${knownAt}
        ${amendmentsPublic ? sql`and coalesce(later.public_at, later.recorded_at) <= ${publicAt}` : sql``}
        ${within(asOf, 'later', 'version_position')})`;
}

/**
 * The rows of `alias` a read may see by position: at a cited version, those up to it; on a
 * branch, the record's up to the branch's base (and, for a branch forked at a date, valid by
 * then: `validTime` says the table has occurred_at) and every row of the branch's own. Nothing
 * else is added to a read of the record as it is.
 */
function within({ upTo, branch }: Pick<Scope, 'upTo' | 'branch'>, alias: string, column: string, validTime = false) {
  const position = sql.ref(`${alias}.${column}`);
  if (branch) {
    const cut = validTime && branch.until ? sql` and ${sql.ref(`${alias}.occurred_at`)} <= ${branch.until}` : sql``;
    return sql`and (${sql.ref(`${alias}.negotiation_id`)} = ${branch.key} or (${position} <= ${branch.base}${cut}))`;
  }
  return upTo === undefined ? sql`` : sql`and ${position} <= ${upTo}`;
}

/** The negotiation's rows of `alias`, and on a branch the branch's too (see `within`). */
function ofNegotiation(negotiationId: string, { branch }: Pick<Scope, 'branch'>, alias: string) {
  const column = sql.ref(`${alias}.negotiation_id`);
  return branch ? sql`${column} in (${negotiationId}, ${branch.key})` : sql`${column} = ${negotiationId}`;
}

/**
 * The (party, issue) pairs a read probes: the negotiation's, and on a branch the union with the
 * branch's. The record's read is the negotiation's own rows: the same index walk as before branches.
 */
function keysOf(negotiationId: string, { branch }: Pick<Scope, 'branch'>) {
  return branch
    ? sql`(select distinct party, issue from stance_keys where negotiation_id in (${negotiationId}, ${branch.key})) k`
    : sql`(select party, issue from stance_keys where negotiation_id = ${negotiationId}) k`;
}

/**
 * When a fact of `alias` counts in valid time. By the contract's rule, from its occurredAt (the
 * start of its period). Conservatively (`periods=end`), from the last instant of its period:
 * a day's, a week's (7 days) or a month's end, computed in UTC; an instant's is itself. The
 * precision is the fact's version's (a correction may change it).
 */
function countsFrom(asOf: Pick<AsOf, 'periods'>, alias: string) {
  const occurred = sql.ref(`${alias}.occurred_at`);
  if (asOf.periods !== 'end') return occurred;
  // The period's length: a month's from the calendar (in UTC); none for an instant.
  return sql`(${occurred} + coalesce((
      select case pv.date_precision
               when 'day' then interval '1 day'
               when 'week' then interval '7 days'
               when 'month' then ((${occurred} at time zone 'UTC' + interval '1 month') at time zone 'UTC') - ${occurred}
             end - interval '1 millisecond'
      from stance_versions pv
      where pv.event_id = ${sql.ref(`${alias}.event_id`)} and pv.version_position = ${sql.ref(`${alias}.version_position`)}
        and pv.date_precision in ('day', 'week', 'month')
    ), interval '0'))`;
}

/** Valid at `at`, and the latest first: the as-of rule's walk, by `countsFrom`. */
function validAt(asOf: Pick<AsOf, 'at' | 'periods'>, alias: string) {
  // The plain condition stays first: it bounds the index walk in either mode.
  const plain = sql`${sql.ref(`${alias}.occurred_at`)} <= ${asOf.at}`;
  return asOf.periods === 'end' ? sql`${plain} and ${countsFrom(asOf, alias)} <= ${asOf.at}` : plain;
}

function latestFirst(asOf: Pick<AsOf, 'periods'>, alias: string) {
  return sql`${countsFrom(asOf, alias)} desc, ${sql.ref(`${alias}.event_position`)} desc`;
}

interface StanceRow {
  party: string;
  issue: string;
  kind: string;
  value: number | null;
  summary: string | null;
  confidence: number | null;
  quote: string | null;
  uncertainty_low: number | null;
  uncertainty_high: number | null;
  basis: PositionDetail['basis'];
  event_id: string;
  occurred_at: Date;
  source: Source | null;
  date_precision: DatePrecision | null;
  salience: number | null;
}

/** A fact's detail columns as the API shows them. */
export const detailOf = (r: Pick<StanceRow, 'confidence' | 'quote' | 'uncertainty_low' | 'uncertainty_high' | 'basis'>): PositionDetail => ({
  confidence: r.confidence,
  quote: r.quote,
  uncertainty: r.uncertainty_low === null || r.uncertainty_high === null ? null : { low: r.uncertainty_low, high: r.uncertainty_high },
  basis: r.basis,
});

export async function stancesAt(db: Kysely<Database>, negotiationId: string, asOf: AsOf): Promise<Stance[]> {
  const { branch } = asOf;
  const { rows } = await sql<StanceRow & { negotiation_id: string }>`
    select k.party, k.issue, p.kind, p.value, p.summary, p.confidence, p.quote, p.uncertainty_low, p.uncertainty_high, p.basis,
           p.event_id, p.occurred_at, v.source, v.date_precision, s.salience, p.negotiation_id
    from ${keysOf(negotiationId, asOf)}
    cross join lateral (
      select f.kind, f.value, f.summary, f.confidence, f.quote, f.uncertainty_low, f.uncertainty_high, f.basis,
             f.event_id, f.occurred_at, f.version_position, f.negotiation_id
      from stance_facts f
      where ${ofNegotiation(negotiationId, asOf, 'f')} and f.party = k.party and f.issue = k.issue
        and f.kind <> 'red-line'
        and ${validAt(asOf, 'f')} and ${counted(asOf)}
      order by ${latestFirst(asOf, 'f')}
      limit 1
    ) p
    join stance_versions v on v.event_id = p.event_id and v.version_position = p.version_position
    left join lateral (
      select f.salience
      from stance_facts f
      where ${ofNegotiation(negotiationId, asOf, 'f')} and f.party = k.party and f.issue = k.issue
        and f.kind = 'set' and f.salience is not null
        and ${validAt(asOf, 'f')} and ${counted(asOf)}
      order by ${latestFirst(asOf, 'f')}
      limit 1
    ) s on true
    where p.kind = 'set'
    order by k.party, k.issue`.execute(db);
  return rows.map((r) => ({
    party: r.party,
    issue: r.issue,
    value: r.value!,
    salience: r.salience,
    since: r.occurred_at,
    sincePrecision: r.date_precision ?? 'instant',
    eventId: r.event_id,
    summary: r.summary,
    source: r.source,
    ...detailOf(r),
    // Only a branch's answers say which stances are its own.
    ...(branch ? { hypothetical: r.negotiation_id === branch.key } : {}),
  }));
}

interface RedLineRow {
  party: string;
  issue: string;
  min: number | null;
  max: number | null;
  summary: string | null;
  event_id: string;
  occurred_at: Date;
  source: Source | null;
}

export async function redLinesAt(db: Kysely<Database>, negotiationId: string, asOf: AsOf): Promise<RedLine[]> {
  const { rows } = await sql<RedLineRow>`
    select k.party, k.issue, r.min, r.max, r.summary, r.event_id, r.occurred_at, v.source
    from ${keysOf(negotiationId, asOf)}
    cross join lateral (
      select f.min, f.max, f.summary, f.event_id, f.occurred_at, f.version_position
      from stance_facts f
      where ${ofNegotiation(negotiationId, asOf, 'f')} and f.party = k.party and f.issue = k.issue
        and f.kind = 'red-line'
        and ${validAt(asOf, 'f')} and ${counted(asOf)}
      order by ${latestFirst(asOf, 'f')}
      limit 1
    ) r
    join stance_versions v on v.event_id = r.event_id and v.version_position = r.version_position
    order by k.party, k.issue`.execute(db);
  return rows.map((r) => ({
    party: r.party,
    issue: r.issue,
    min: r.min,
    max: r.max,
    since: r.occurred_at,
    eventId: r.event_id,
    summary: r.summary,
    source: r.source,
  }));
}

export interface KnownParty {
  party: string;
  name: string;
  aliases: string[];
  capability: number | null;
}

export interface KnownIssue {
  issue: string;
  title: string;
  scale: { min: number; max: number; labels: Record<string, string> };
  /** Short words news about the issue uses (IssueDefined.keywords); empty when none were given. */
  keywords: string[];
  /** What holds without agreement (IssueDefined.statusQuo); null when not coded. */
  statusQuo: number | null;
}

export async function partiesKnown(db: Kysely<Database>, negotiationId: string, scope: Scope): Promise<KnownParty[]> {
  const { rows } = await sql<{ party: string; name: string; aliases: string[]; capability: number | null }>`
    select f.party, f.name, f.aliases, f.capability from projected_parties f
    where ${ofNegotiation(negotiationId, scope, 'f')} and f.recorded_at <= ${scope.knownAt} ${within(scope, 'f', 'position')}
    order by f.position`.execute(db);
  return rows.map((r) => ({ party: r.party, name: r.name, aliases: r.aliases, capability: r.capability }));
}

export async function issuesKnown(db: Kysely<Database>, negotiationId: string, scope: Scope): Promise<KnownIssue[]> {
  const { rows } = await sql<{ issue: string; title: string; scale_min: number; scale_max: number; labels: Record<string, string>; keywords: string[]; status_quo: number | null }>`
    select f.issue, f.title, f.scale_min, f.scale_max, f.labels, f.keywords, f.status_quo from projected_issues f
    where ${ofNegotiation(negotiationId, scope, 'f')} and f.recorded_at <= ${scope.knownAt} ${within(scope, 'f', 'position')}
    order by f.position`.execute(db);
  return rows.map((r) => ({ issue: r.issue, title: r.title, scale: { min: r.scale_min, max: r.scale_max, labels: r.labels }, keywords: r.keywords, statusQuo: r.status_quo }));
}

export interface TimelineFact {
  party: string;
  issue: string;
  kind: 'set' | 'withdraw';
  value: number | null;
  salience: number | null;
  summary: string | null;
  eventId: string;
  eventPosition: number;
  occurredAt: Date;
  recordedAt: Date;
  source: Source | null;
  uncertainty: { low: number; high: number } | null;
  confidence: number | null;
  basis: string | null;
  datePrecision: string | null;
  /** On a scenario branch only: whether the fact is one of the branch's hypothetical events. */
  hypothetical?: boolean;
  /** With `periods=end`: when the fact counts (its period's end); absent, it counts from occurredAt. */
  countsFrom?: Date;
}

/**
 * Every stance-setting fact of `parties` in force at `knownAt`, in valid-time order: the
 * timeline that series, concessions and histories sweep through.
 */
export async function timelineOf(
  db: Kysely<Database>,
  negotiationId: string,
  parties: string[],
  asOf: Pick<AsOf, 'knownAt' | 'publicAt' | 'upTo' | 'branch' | 'periods' | 'corrections'>,
  issue?: string,
): Promise<TimelineFact[]> {
  if (parties.length === 0) return [];
  const { rows } = await sql<{
    party: string;
    issue: string;
    kind: 'set' | 'withdraw';
    value: number | null;
    salience: number | null;
    summary: string | null;
    event_id: string;
    event_position: string;
    occurred_at: Date;
    recorded_at: Date;
    source: Source | null;
    uncertainty_low: number | null;
    uncertainty_high: number | null;
    confidence: number | null;
    basis: string | null;
    date_precision: string | null;
    negotiation_id: string;
  }>`
    select f.party, f.issue, f.kind, f.value, f.salience, f.summary, f.event_id, f.event_position,
           f.occurred_at, f.recorded_at, v.source, f.uncertainty_low, f.uncertainty_high,
           f.confidence, f.basis, v.date_precision, f.negotiation_id
    from stance_facts f
    join stance_versions v on v.event_id = f.event_id and v.version_position = f.version_position
    where ${ofNegotiation(negotiationId, asOf, 'f')}
      and f.party in (${sql.join(parties)})
      and f.kind <> 'red-line'
      and ${counted(asOf)}
      ${issue === undefined ? sql`` : sql`and f.issue = ${issue}`}
    order by f.occurred_at, f.event_position`.execute(db);
  const facts: TimelineFact[] = rows.map((r) => ({
    party: r.party,
    issue: r.issue,
    kind: r.kind,
    value: r.value,
    salience: r.salience,
    summary: r.summary,
    eventId: r.event_id,
    eventPosition: Number(r.event_position),
    occurredAt: r.occurred_at,
    recordedAt: r.recorded_at,
    source: r.source,
    uncertainty: r.uncertainty_low === null || r.uncertainty_high === null ? null : { low: r.uncertainty_low, high: r.uncertainty_high },
    confidence: r.confidence,
    basis: r.basis,
    datePrecision: r.date_precision,
    ...(asOf.branch ? { hypothetical: r.negotiation_id === asOf.branch.key } : {}),
  }));
  if (asOf.periods !== 'end') return facts;
  // Conservatively, each fact counts from its period's end: the sweep's order is by that time.
  return facts
    .map((fact) => ({ ...fact, countsFrom: periodEnd(fact.occurredAt, fact.datePrecision) }))
    .sort((x, y) => x.countsFrom.getTime() - y.countsFrom.getTime() || x.eventPosition - y.eventPosition);
}

/** The last instant of the period `start` names (UTC): a day's, a week's (7 days), a month's; an instant's is itself. */
export function periodEnd(start: Date, precision: string | null): Date {
  const end = new Date(start);
  if (precision === 'day') end.setUTCDate(end.getUTCDate() + 1);
  else if (precision === 'week') end.setUTCDate(end.getUTCDate() + 7);
  else if (precision === 'month') end.setUTCMonth(end.getUTCMonth() + 1);
  else return end;
  return new Date(end.getTime() - 1);
}

/** When the talks' positions begin and end in valid time, as known at `knownAt`. */
export async function spanOf(db: Kysely<Database>, negotiationId: string, scope: Scope): Promise<{ first: string; last: string } | null> {
  const { rows } = await sql<{ first: Date | null; last: Date | null }>`
    select min(f.occurred_at) as first, max(f.occurred_at) as last from stance_versions f
    where ${ofNegotiation(negotiationId, scope, 'f')} and f.recorded_at <= ${scope.knownAt} ${within(scope, 'f', 'version_position', true)}`.execute(db);
  const row = rows[0];
  return row?.first && row.last ? { first: new Date(row.first).toISOString(), last: new Date(row.last).toISOString() } : null;
}

/**
 * The last proposal tabled on each issue as of (at, knownAt): a ProposalTabled's value for the
 * issue, by the as-of rule (latest in valid time; corrections and retractions as known then).
 */
export async function proposalsAt(db: Kysely<Database>, negotiationId: string, asOf: AsOf): Promise<Map<string, { value: number; eventId: string; since: Date }>> {
  const { rows } = await sql<{ issue: string; value: number; event_id: string; occurred_at: Date }>`
    select distinct on (f.issue) f.issue, f.value, f.event_id, f.occurred_at
    from stance_facts f
    join stance_versions v on v.event_id = f.event_id and v.version_position = f.version_position
    where ${ofNegotiation(negotiationId, asOf, 'f')} and v.type = 'ProposalTabled' and f.kind = 'set'
      and f.occurred_at <= ${asOf.at} and ${counted(asOf)}
    order by f.issue, f.occurred_at desc, f.event_position desc`.execute(db);
  return new Map(rows.map((r) => [r.issue, { value: r.value, eventId: r.event_id, since: r.occurred_at }]));
}
