import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import type { Request } from './platform';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { negotiationIdSchema } from '../negotiation/domain/requests';
import { GetGapSeries } from '../negotiation/analysis/get-gap-series.query';
import { GetGaps } from '../negotiation/analysis/get-gaps.query';
import { GetStances } from '../negotiation/stances/get-stances.query';
import { parseWith } from '../shared/parse-with';
import { ReadAt } from './read-context';
import type { ReadContext } from '../projection-runner/read-gate';
import { asOfParams, gapsParams, panelParams, seriesParams } from '../negotiation/reading/as-of-params';
import { GetPanel, PANEL_COLUMNS, flatPanelRows, type Panel } from '../negotiation/stances/get-panel.query';
import { zipFile } from './zip';
import { panelPackageFiles } from '../negotiation/stances/panel-package-files';
import type { SeriesPoint } from '../negotiation/analysis/gaps';
import { csvFile, jsonStream, wantsCsv } from './tabular';
import { CachedAsOf } from './as-of-cache';

/** The pair in every row (a file read apart from its URL still says whose gap it is). */
const SERIES_COLUMNS = ['a', 'b', 'at', 'scope', 'issue', 'gap', 'low', 'high'] as const;

/** A series point as long CSV rows: the overall gap (scope overall), then each issue's. */
function* seriesRows([a, b]: [string, string], points: SeriesPoint[]): Generator<Record<(typeof SERIES_COLUMNS)[number], string | number | null>> {
  for (const p of points) {
    yield { a, b, at: p.at, scope: 'overall', issue: null, gap: p.overall, low: p.overallRange?.low ?? null, high: p.overallRange?.high ?? null };
    for (const [issue, gap] of Object.entries(p.issues)) {
      yield { a, b, at: p.at, scope: 'issue', issue, gap, low: p.ranges[issue]?.low ?? null, high: p.ranges[issue]?.high ?? null };
    }
  }
}


/** Stances and gaps as of any (at, knownAt): the bitemporal reads. */
@ApiTags('as-of')
@ApiBearerAuth()
@Controller('negotiations/:nid')
export class AsOfController {
  constructor(private readonly queries: QueryBus) {}

  @Get('stances')
  @CachedAsOf({ usesAt: true })
  stances(@Param('nid') nid: string, @Query() query: unknown, @ReadAt() read: ReadContext) {
    const id = parseWith(negotiationIdSchema, nid, ['nid']);
    return this.queries.execute(new GetStances(id, parseWith(asOfParams, query), read));
  }

  @Get('gaps')
  @CachedAsOf({ usesAt: true })
  gaps(@Param('nid') nid: string, @Query() query: unknown, @ReadAt() read: ReadContext) {
    const id = parseWith(negotiationIdSchema, nid, ['nid']);
    const { between, ...asOf } = parseWith(gapsParams, query);
    return this.queries.execute(new GetGaps(id, asOf, between, read));
  }

  @Get('gaps/series')
  @CachedAsOf({ usesAt: false })
  async series(@Param('nid') nid: string, @Query() query: unknown, @Req() request: Request, @ReadAt() read: ReadContext) {
    const id = parseWith(negotiationIdSchema, nid, ['nid']);
    const { between, points, query: asOf, format, vintage } = parseWith(seriesParams, query);
    const series = await this.queries.execute(new GetGapSeries(id, between, points, asOf, read, vintage));
    return wantsCsv(request, format) ? csvFile(seriesRows(between, series.points), SERIES_COLUMNS, `${id}-${between.join('-')}-series.csv`) : series;
  }

  /** Party × issue × point, for R or pandas: JSON or CSV, streamed. */
  @Get('panel')
  @CachedAsOf({ usesAt: false })
  async panel(@Param('nid') nid: string, @Query() query: unknown, @Req() request: Request, @ReadAt() read: ReadContext) {
    const id = parseWith(negotiationIdSchema, nid, ['nid']);
    const { points, query: asOf, format, range } = parseWith(panelParams, query);
    const panel = await this.queries.execute(new GetPanel(id, points, asOf, read));
    if (format === 'datapackage') return this.panelPackage(id, panel, range, read);
    // A branch's panel says which rows are hypothetical, in a column of its own.
    const columns = asOf.scenario === undefined ? PANEL_COLUMNS : [...PANEL_COLUMNS, 'hypothetical' as const];
    if (wantsCsv(request, format)) return csvFile(flatPanelRows(panel.rows), columns, `${id}${asOf.scenario === undefined ? '' : `-${asOf.scenario}`}-panel.csv`);
    const { rows, parties: _parties, issues: _issues, points: _points, cells: _cells, ...head } = panel;
    return jsonStream(head, 'rows', rows);
  }

  /** The panel as a Data Package: its descriptor names the record's version and hash it was read at. */
  private async panelPackage(id: string, panel: Panel, range: { from: Date; to: Date; step: string }, read: ReadContext) {
    const { name, entries } = await panelPackageFiles(this.queries, id, panel, range, read);
    return zipFile(entries, `${name}.zip`);
  }

}
