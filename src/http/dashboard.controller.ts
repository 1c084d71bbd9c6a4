import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ListAlerts } from '../alerting/alerts.queries';
import { GetConcessions, GetOutcomes, GetZones } from '../negotiation/analysis/analysis.queries';
import { GetGapSeries } from '../negotiation/analysis/get-gap-series.query';
import { GetGaps } from '../negotiation/analysis/get-gaps.query';
import { negotiationIdSchema } from '../negotiation/domain/requests';
import { seriesParams } from '../negotiation/reading/as-of-params';
import { GetStances } from '../negotiation/stances/get-stances.query';
import { GetInbox } from '../news/news.queries';
import { GetScenarioDiff } from '../scenarios/scenario-diff.query';
import type { ReadContext } from '../projection-runner/read-gate';
import { parseWith } from '../shared/parse-with';
import { dashboardParams } from './params';
import { ReadAt } from './read-context';

const DAY_MS = 86_400_000;
/** The inbox rows a refresh shows. */
const INBOX_SHOWN = 20;
/** How far back the matrix's "new since" looks. */
const WEEK_MS = 7 * DAY_MS;

/**
 * Everything one refresh of the dashboard shows, in one request and one consistent view: the
 * stances read fixes the position and the clock, and every other part is read at that
 * position, with the same `at` and `knownAt`. Each part is the answer its own route gives.
 */
@ApiTags('as-of')
@ApiBearerAuth()
@Controller('negotiations/:nid')
export class DashboardController {
  constructor(private readonly queries: QueryBus) {}

  @Get('dashboard')
  async dashboard(@Param('nid') nid: string, @Query() query: Record<string, unknown>, @ReadAt() read: ReadContext) {
    const id = parseWith(negotiationIdSchema, nid, ['nid']);
    const { at, knownAt, between, from, to, scenario, published, version } = parseWith(dashboardParams, query);
    // As published: what was public on the chosen day (or now), corrections only once public too.
    const publicView = (day: Date | undefined) => (published ? { publicAt: day ?? new Date(), corrections: 'public' as const } : {});
    const first = await this.queries.execute(new GetStances(id, { at, knownAt, scenario, version, ...publicView(at) }, read));
    const asOf = { at: new Date(first.at), knownAt: new Date(first.knownAt), scenario, version, ...publicView(new Date(first.at)) };
    const same = (): ReadContext => ({ minPosition: read.position });
    const series = between && from && to ? parseWith(seriesParams, { between: query.between, from: query.from, to: query.to, step: 'P1D' }) : undefined;
    // Alerts and the inbox are the record's alone: a branch fires nothing and codes no news.
    const weekBefore = new Date(asOf.at.getTime() - WEEK_MS);
    const [zones, outcomes, alerts, gaps, gapSeries, inbox, diff, before] = await Promise.all([
      this.queries.execute(new GetZones(id, asOf, undefined, same())),
      this.queries.execute(new GetOutcomes(id, asOf, 'compromise', same())),
      this.queries.execute(new ListAlerts(id, undefined, undefined, same())),
      between ? this.queries.execute(new GetGaps(id, asOf, between, same())) : undefined,
      series
        ? this.queries.execute(new GetGapSeries(id, series.between, series.points, { knownAt: asOf.knownAt, scenario, version, ...(published ? { corrections: 'public' as const } : {}) }, same(), published ? 'published' : 'final'))
        : undefined,
      this.queries.execute(new GetInbox(id, 'new', { limit: INBOX_SHOWN }, same())),
      scenario ? this.queries.execute(new GetScenarioDiff(id, scenario, { at: asOf.at, knownAt: asOf.knownAt }, between, same())) : undefined,
      // A week before: what the matrix's "new since" compares each cell with (a restatement is no change).
      this.queries.execute(new GetStances(id, { at: weekBefore, knownAt: asOf.knownAt, scenario, version, ...publicView(weekBefore) }, same())),
    ]);
    return {
      at: first.at,
      knownAt: first.knownAt,
      position: read.position,
      published,
      version: first.version,
      // With a branch: its name, and the record beside it (what the branch changes).
      ...(diff ? { scenario, difference: diff.difference } : {}),
      stances: first.stances,
      weekBefore: { at: before.at, stances: before.stances },
      // Zones compare two parties or more: none before the second is added.
      zones: zones.parties.length >= 2 ? zones.zones : [],
      outcomes: outcomes.outcomes,
      alerts: alerts.alerts,
      gaps: gaps?.pairs[0] ?? null,
      series: gapSeries?.points ?? null,
      concessions: gapSeries && between ? await this.concessions(id, between as [string, string], gapSeries.points, asOf, at ?? to!, same(), scenario) : null,
      inbox: inbox.items,
    };
  }

  /**
   * How far each of the pair moved toward the other, from the first day both had a stance on a
   * shared issue (before it nothing compares) to the chosen day (or the chart's end).
   */
  private async concessions(id: string, [a, b]: [string, string], points: { at: string; overall: number | null }[], asOf: { knownAt: Date; version?: number | undefined }, to: Date, read: ReadContext, scenario?: string) {
    const first = points.find((p) => p.overall !== null);
    if (!first) return null;
    const from = new Date(Math.floor(Date.parse(first.at) / DAY_MS) * DAY_MS);
    const moved = (party: string, toward: string) => this.queries.execute(new GetConcessions(id, party, toward, from, to, { knownAt: asOf.knownAt, scenario, version: asOf.version }, read));
    return Promise.all([moved(a, b), moved(b, a)]);
  }
}
