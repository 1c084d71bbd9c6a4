// The gap chart (uPlot) with event markers, and one small chart per issue.
import { $ } from '../dom.js';
import { DAY, dayOf, fmt, fmtDate } from '../format.js';
import { issueTitle } from '../names.js';
import { describe } from './timeline.js';
import { eventDays } from '../slider.js';
import { STANCE_TYPES } from '../event-types.js';
import { store } from '../store.js';
import { state } from '../url-state.js';

/** Each value holds until the next point (uPlot's stepped path builder, made once, from the page's uPlot build). */
let steppedPaths;
const stepped = (u, seriesIdx, idx0, idx1) => (steppedPaths ??= uPlot.paths.stepped({ align: 1 }))(u, seriesIdx, idx0, idx1);
/** The legend leaves a missing value blank rather than "–". */
const legendValue = (_u, v) => (v == null ? '' : fmt(v));

export function fillPairSelects(parties) {
  for (const [id, key] of [['pair-a', 'a'], ['pair-b', 'b']]) {
    const select = $(id);
    select.replaceChildren(...parties.map((p) => new Option(store.negotiation.parties.find((x) => x.party === p).name, p)));
    select.value = state[key];
    select.disabled = parties.length < 2;
  }
}

/** Draws the pair's daily gap series (`points`, from the dashboard answer), or says why there is none. */
export function renderChart(points) {
  const box = $('chart');
  const empty = $('chart-empty');
  if (!state.a || !state.b || state.a === state.b) {
    store.chart?.destroy();
    store.chart = null;
    empty.hidden = false;
    empty.textContent = 'Choose two different parties to see the gap between them.';
    return;
  }
  const series = { points: points ?? [] };
  const issues = store.negotiation.issues.map((i) => i.issue);
  // Each point reads the end of its day: draw it at the day's start, where its events happened.
  const xs = series.points.map((p) => (dayOf(Date.parse(p.at)) * DAY) / 1000);
  const data = [
    xs,
    series.points.map((p) => p.overall),
    ...issues.map((i) => series.points.map((p) => p.issues[i] ?? null)),
    // The overall gap's range, as far as the coded uncertainty allows: drawn as a band.
    series.points.map((p) => p.overallRange?.high ?? null),
    series.points.map((p) => p.overallRange?.low ?? null),
  ];
  empty.hidden = series.points.some((p) => p.overall !== null);
  empty.textContent = 'No shared issue yet: the gap appears once both parties have a stance on the same issue.';
  const chosenAt = ((store.minDay + Number($('at').value)) * DAY) / 1000;
  const markers = eventDays().map((d) => (d * DAY) / 1000);
  const width = Math.max(box.clientWidth, 200);
  const options = {
    width,
    height: 260,
    scales: { y: { range: [0, 100] } },
    series: [
      // The legend names the day it shows, and shows nothing rather than "–" where there is no value.
      { label: 'day', value: (_u, v) => (v == null ? '' : new Date(v * 1000).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })) },
      // A gap holds until the next event: drawn as steps, never as a slope between two days.
      { label: 'overall', stroke: '#1d2330', width: 2.5, paths: stepped, value: legendValue },
      ...issues.map((issue, i) => ({ label: issueTitle(issue), stroke: `hsl(${(i * 47) % 360} 55% 45%)`, width: 1, dash: i % 2 ? [6, 3] : undefined, paths: stepped, value: legendValue })),
      { label: 'overall, highest', stroke: 'rgba(29, 35, 48, 0.25)', width: 1, paths: stepped, value: legendValue },
      { label: 'overall, lowest', stroke: 'rgba(29, 35, 48, 0.25)', width: 1, paths: stepped, value: legendValue },
    ],
    bands: [{ series: [issues.length + 2, issues.length + 3], fill: 'rgba(29, 35, 48, 0.08)' }],
    axes: [
      { values: (_u, ticks) => ticks.map((t) => new Date(t * 1000).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' })) },
      { label: 'gap (0–100)' },
    ],
    legend: { show: true, live: true },
    hooks: {
      draw: [
        (u) => {
          // Events on the time axis: a thin line where something was said or tabled.
          const { ctx } = u;
          ctx.save();
          ctx.strokeStyle = 'rgba(44, 90, 160, 0.35)';
          // Dense markers are grouped: one line per 4 px, however many days fall there.
          let previous = -Infinity;
          for (const x of markers) {
            const px = u.valToPos(x, 'x', true);
            if (px < u.bbox.left || px > u.bbox.left + u.bbox.width || px - previous < 4 * devicePixelRatio) continue;
            previous = px;
            ctx.beginPath();
            ctx.moveTo(px, u.bbox.top);
            ctx.lineTo(px, u.bbox.top + u.bbox.height);
            ctx.stroke();
          }
          // The valid time the rest of the page shows.
          const px = u.valToPos(chosenAt, 'x', true);
          if (px >= u.bbox.left && px <= u.bbox.left + u.bbox.width) {
            ctx.strokeStyle = '#b3261e';
            ctx.setLineDash([4, 4]);
            ctx.beginPath();
            ctx.moveTo(px, u.bbox.top);
            ctx.lineTo(px, u.bbox.top + u.bbox.height);
            ctx.stroke();
          }
          ctx.restore();
        },
      ],
    },
  };
  renderMultiples(xs, series.points);
  options.hooks.setCursor = [(u) => showMarkerLabel(u, markers)];
  store.chart?.destroy();
  store.chart = new uPlot(options, data, box);
  // The legend shows the chosen day's values until the cursor points elsewhere.
  const chosenIndex = xs.findIndex((x) => x >= chosenAt);
  store.chart.setLegend({ idx: chosenIndex < 0 ? xs.length - 1 : chosenIndex });
}

/** Hovering near an event line names what happened that day. */
export function showMarkerLabel(u, markers) {
  const tip = $('marker-tip');
  const left = u.cursor.left;
  if (left === undefined || left < 0) return void (tip.hidden = true);
  const near = markers.filter((x) => Math.abs(u.valToPos(x, 'x') - left) <= 4);
  if (near.length === 0) return void (tip.hidden = true);
  const days = new Set(near.map((x) => Math.round((x * 1000) / DAY)));
  const happened = store.events.filter((e) => !e.negotiation.includes('.') && days.has(dayOf(Date.parse(e.occurredAt))) && STANCE_TYPES.has(e.type));
  tip.textContent = `${fmtDate(new Date([...days][0] * DAY).toISOString())}: ${happened.map((e) => `${e.type} — ${describe(e)}`.slice(0, 120)).join(' · ')}`;
  tip.hidden = happened.length === 0;
}

/** One small chart per issue (where lines on the big chart coincide, these stay apart). */
export function renderMultiples(xs, points) {
  const svgNs = 'http://www.w3.org/2000/svg';
  const cards = store.negotiation.issues.map((issue) => {
    const figure = Object.assign(document.createElement('figure'), { className: 'multiple' });
    const values = points.map((p) => p.issues[issue.issue] ?? null);
    const latest = [...values].reverse().find((v) => v !== null) ?? null;
    const svg = document.createElementNS(svgNs, 'svg');
    svg.setAttribute('viewBox', '0 0 120 40');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', `${issueTitle(issue.issue)}: gap ${fmt(latest)} at the end of the range`);
    let d = '';
    values.forEach((v, i) => {
      if (v === null) return;
      const x = xs.length > 1 ? (i / (xs.length - 1)) * 116 + 2 : 60;
      const y = 38 - (v / 100) * 36;
      d += `${i === 0 || values[i - 1] === null ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)} `;
    });
    const path = document.createElementNS(svgNs, 'path');
    path.setAttribute('d', d.trim() || 'M0,0');
    path.setAttribute('fill', 'none');
    path.setAttribute('stroke', '#1d2330');
    path.setAttribute('stroke-width', '1.5');
    svg.append(path);
    figure.append(svg, Object.assign(document.createElement('figcaption'), { textContent: `${issueTitle(issue.issue)}: ${fmt(latest)}` }));
    return figure;
  });
  $('multiples').replaceChildren(...cards);
}
