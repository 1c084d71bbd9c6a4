// The stance matrix: a diverging scale per issue, a legend, and a cell's history.
import { api } from '../api.js';
import { $ } from '../dom.js';
import { dayOf, fmt, fmtDate, isoDay } from '../format.js';
import { store } from '../store.js';
import { knownAtQuery, saveState, state } from '../url-state.js';

/**
 * A diverging scale, not a rainbow: the issue's low end (0) deep blue, its middle pale grey,
 * its high end (100) deep red, so no colour reads as "good". Text is dark on pale cells.
 */
export function colour(issue, value) {
  const p = (value - issue.scale.min) / (issue.scale.max - issue.scale.min);
  const far = Math.abs(p - 0.5) * 2;
  const [h, sat] = [p < 0.5 ? 215 : 4, 20 + 50 * far];
  let light = 88 - 52 * far;
  // The ink with the better contrast (WCAG relative luminance); where neither reaches 4.5:1,
  // the background moves away from the ink a little until it does.
  const inkOf = (l) => ({ dark: contrast(luminance(h, sat, l), luminance(0, 0, 15)), white: contrast(luminance(h, sat, l), 1) });
  const whiteInk = inkOf(light).white > inkOf(light).dark;
  while (Math.max(inkOf(light).white, inkOf(light).dark) < 4.6 && light > 5 && light < 95) light += whiteInk ? -1 : 1;
  return { background: `hsl(${h} ${Math.round(sat)}% ${Math.round(light)}%)`, ink: whiteInk ? '#fff' : '#1d2330' };
}

export function luminance(h, s, l) {
  const a = (s / 100) * Math.min(l / 100, 1 - l / 100);
  const channel = (n) => {
    const k = (n + h / 30) % 12;
    const c = l / 100 - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(8) + 0.0722 * channel(4);
}

export const contrast = (x, y) => (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);

/**
 * What a value means on its scale, never more than the labels say: the label itself on a
 * labelled point; between two labelled points, both ("between ‘no tariff’ and ‘50 %’"); beyond
 * the outermost, "near" it. (The nearest label alone read 25 on a 0–50 tariff scale as "no tariff".)
 */
export function nearestLabel(issue, value) {
  const labels = Object.entries(issue.scale.labels ?? {})
    .map(([point, label]) => [Number(point), label])
    .sort((x, y) => x[0] - y[0]);
  if (labels.length === 0) return '';
  const exact = labels.find(([point]) => point === value);
  if (exact) return exact[1];
  const below = labels.filter(([point]) => point < value).at(-1);
  const above = labels.find(([point]) => point > value);
  if (below && above) return `between “${below[1]}” and “${above[1]}”`;
  return `near “${(below ?? above)[1]}”`;
}

/** `weekBefore`: the stances a week before the chosen day, by party/issue (what "new since" compares with). */
export function renderMatrix(stances, weekBefore) {
  const table = $('matrix');
  const { parties, issues } = store.negotiation;
  if (parties.length === 0 || issues.length === 0) {
    table.replaceChildren();
    table.insertAdjacentHTML('beforeend', '<caption class="empty">No parties or issues known yet.</caption>');
    return;
  }
  const byKey = new Map(stances.map((s) => [`${s.party}/${s.issue}`, s]));
  const head = document.createElement('thead');
  const headRow = head.insertRow();
  headRow.append(Object.assign(document.createElement('th'), { scope: 'col', textContent: 'Party' }));
  for (const issue of issues) {
    const th = Object.assign(document.createElement('th'), { scope: 'col', textContent: issue.title });
    th.title = `${issue.scale.min}: ${issue.scale.labels?.[issue.scale.min] ?? ''}\n${issue.scale.max}: ${issue.scale.labels?.[issue.scale.max] ?? ''}`;
    headRow.append(th);
  }
  const cols = document.createElement('colgroup');
  cols.append(Object.assign(document.createElement('col'), { className: 'party-col' }), ...issues.map(() => document.createElement('col')));
  const body = document.createElement('tbody');
  for (const party of parties) {
    const row = body.insertRow();
    row.append(Object.assign(document.createElement('th'), { scope: 'row', textContent: party.name }));
    for (const issue of issues) {
      const stance = byKey.get(`${party.party}/${issue.issue}`);
      const cell = row.insertCell();
      const button = document.createElement('button');
      button.type = 'button';
      button.className = stance ? 'cell' : 'cell none';
      button.dataset.party = party.party;
      button.dataset.issue = issue.issue;
      button.dataset.value = stance ? String(stance.value) : '';
      if (stance) {
        const label = nearestLabel(issue, stance.value);
        const { background, ink } = colour(issue, stance.value);
        button.style.background = background;
        button.style.color = ink;
        button.innerHTML = `<span class="value"></span> <span class="label"></span>`;
        button.querySelector('.value').textContent = `${fmt(stance.value)}${stance.uncertainty ? ` (${fmt(stance.uncertainty.low)}–${fmt(stance.uncertainty.high)})` : ''}`;
        button.querySelector('.label').textContent = `${label}${stance.basis && stance.basis !== 'quoted' ? ` · ${stance.basis}` : ''}`;
        // Changed in the week before the chosen day: marked, so a step shows what moved. A
        // restatement of the same value a week before is no change, and is not marked.
        const chosenDay = store.minDay + Number($('at').value);
        const before = weekBefore?.get(`${party.party}/${issue.issue}`);
        if (chosenDay - dayOf(Date.parse(stance.since)) < 7 && before?.value !== stance.value) {
          button.classList.add('changed');
          button.append(Object.assign(document.createElement('span'), { className: 'changed-mark', textContent: `new since ${fmtDate(isoDay(chosenDay - 7))}` }));
        }
        button.title = `${party.name} on ${issue.title}: ${fmt(stance.value)}${label ? ` (${label})` : ''}\nsince ${fmtDate(stance.since)}${stance.source?.publisher ? `, ${stance.source.publisher}` : ''}`;
        // A scenario's own stance: marked, and said to be hypothetical wherever it is named.
        if (stance.hypothetical) {
          button.classList.add('hypothetical');
          button.querySelector('.value').textContent += ' ◇';
          button.title += '\nHYPOTHETICAL: this scenario\'s, not the record\'s';
        }
        // The accessible name starts with what the cell shows, then says whose and since when.
        button.setAttribute('aria-label', `${button.textContent.trim()}: ${party.name} on ${issue.title}, since ${fmtDate(stance.since)}${stance.hypothetical ? ' (hypothetical)' : ''}`);
        button.setAttribute('aria-pressed', String(state.cell === `${party.party}/${issue.issue}`));
        button.addEventListener('click', () => {
          state.cell = `${party.party}/${issue.issue}`;
          saveState();
          for (const other of document.querySelectorAll('.cell[aria-pressed]')) other.setAttribute('aria-pressed', 'false');
          button.setAttribute('aria-pressed', 'true');
          showDetail(party, issue, stance);
        });
        if (state.cell === `${party.party}/${issue.issue}`) queueMicrotask(() => showDetail(party, issue, stance));
      } else {
        button.innerHTML = '<span class="value">–</span>';
        button.setAttribute('aria-label', `– ${party.name} on ${issue.title}: no stance`);
        button.disabled = true;
      }
      const line = store.negotiation.redLines.find((r) => r.party === party.party && r.issue === issue.issue);
      if (line) {
        // The party's red line on this issue: the acceptable part of the scale, as a band.
        const span = issue.scale.max - issue.scale.min;
        const from = ((line.min ?? issue.scale.min) - issue.scale.min) / span;
        const to = ((line.max ?? issue.scale.max) - issue.scale.min) / span;
        const band = Object.assign(document.createElement('span'), { className: 'redline', title: `${party.name}'s red line: acceptable ${fmt(line.min ?? issue.scale.min)}–${fmt(line.max ?? issue.scale.max)}` });
        // A narrow line (a single point, [100, 100]) is drawn wide enough to see, kept inside the cell.
        const width = Math.max((to - from) * 100, 8);
        band.style.left = `${Math.min(from * 100, 100 - width)}%`;
        band.style.width = `${width}%`;
        button.append(band);
        button.classList.add('has-line');
        button.setAttribute('aria-label', `${button.getAttribute('aria-label')}; red line: acceptable ${fmt(line.min ?? issue.scale.min)} to ${fmt(line.max ?? issue.scale.max)}`);
      }
      cell.append(button);
    }
  }
  table.replaceChildren(cols, head, body);
}

/** What the colours mean, issue by issue, from the issues' own scale labels. */
export function renderLegend() {
  const legend = $('legend');
  const items = store.negotiation.issues.map((issue) => {
    const li = document.createElement('li');
    const low = issue.scale.labels?.[issue.scale.min] ?? String(issue.scale.min);
    const high = issue.scale.labels?.[issue.scale.max] ?? String(issue.scale.max);
    const lowSwatch = Object.assign(document.createElement('span'), { className: 'swatch' });
    lowSwatch.style.background = colour(issue, issue.scale.min).background;
    const highSwatch = Object.assign(document.createElement('span'), { className: 'swatch' });
    highSwatch.style.background = colour(issue, issue.scale.max).background;
    li.append(Object.assign(document.createElement('strong'), { textContent: `${issue.title}: ` }), lowSwatch, ` ${issue.scale.min} = ${low} … `, highSwatch, ` ${issue.scale.max} = ${high}`);
    return li;
  });
  legend.replaceChildren(...items);
}

export function showDetail(party, issue, stance) {
  const detail = $('cell-detail');
  const src = stance.source ?? {};
  detail.hidden = false;
  detail.replaceChildren();
  const lines = [
    `${party.name} on ${issue.title}: ${fmt(stance.value)} (${nearestLabel(issue, stance.value)})`,
    stance.summary ?? '',
    `Since ${fmtDate(stance.since)}${stance.sincePrecision && stance.sincePrecision !== 'instant' ? ` (known to the ${stance.sincePrecision})` : ''} · salience ${fmt(stance.salience)}${stance.basis ? ` · ${stance.basis}` : ''}${stance.uncertainty ? ` · range ${fmt(stance.uncertainty.low)}–${fmt(stance.uncertainty.high)}` : ''}`,
  ];
  for (const line of lines.filter(Boolean)) detail.append(Object.assign(document.createElement('p'), { textContent: line }));
  const cite = document.createElement('p');
  cite.textContent = 'Source: ';
  if (src.url) cite.append(Object.assign(document.createElement('a'), { href: src.url, textContent: src.title ?? src.url, rel: 'noopener' }));
  else cite.append(src.title ?? 'none given');
  if (src.publisher) cite.append(` — ${src.publisher}${src.publishedAt ? `, ${src.publishedAt}` : ''}`);
  detail.append(cite);
  // Who coded it and who accepted it, and every coder's reading of its news item (provenance).
  api(`/negotiations/${state.n}/provenance?party=${party.party}&issue=${issue.issue}${state.at ? `&at=${state.at}` : ''}${knownAtQuery()}`)
    .then((cell) => {
      if (!cell.event) return;
      const who = Object.assign(document.createElement('p'), { className: 'provenance' });
      who.textContent = `Coded by ${cell.event.codedBy ?? 'an unnamed key'}${cell.event.reviewedBy ? ` · reviewed by ${cell.event.reviewedBy}` : ''}`;
      if (cell.codings.length > 1) who.textContent += ` · coded by ${cell.codings.length}: ${cell.codings.map((c) => `${c.codedBy ?? '?'} (${c.status})`).join(', ')}`;
      detail.insertBefore(who, cite.nextSibling);
    })
    .catch(() => undefined);
  // The cell's history: every change of this party's stance on this issue, as a step line.
  api(`/negotiations/${state.n}/parties/${party.party}/history?issue=${issue.issue}${knownAtQuery()}`)
    .then(({ changes }) => detail.append(sparkline(issue, changes), historyList(changes)))
    .catch(() => undefined);
}

export function sparkline(issue, changes) {
  const svgNs = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('viewBox', '0 0 300 60');
  svg.setAttribute('class', 'sparkline');
  svg.setAttribute('role', 'img');
  const set = changes.filter((c) => c.kind === 'set');
  svg.setAttribute('aria-label', `History: ${set.map((c) => `${fmt(c.value)} from ${fmtDate(c.occurredAt)}`).join(', ') || 'no change'}`);
  if (set.length === 0) return svg;
  const t0 = dayOf(Date.parse(changes[0].occurredAt));
  const t1 = Math.max(store.maxDay, t0 + 1);
  const x = (iso) => 4 + ((dayOf(Date.parse(iso)) - t0) / (t1 - t0)) * 292;
  const y = (v) => 56 - ((v - issue.scale.min) / (issue.scale.max - issue.scale.min)) * 52;
  let d = '';
  let last = null;
  for (const c of changes) {
    if (c.kind === 'withdraw') {
      if (last !== null) d += ` H${x(c.occurredAt)}`;
      last = null;
      continue;
    }
    d += last === null ? ` M${x(c.occurredAt)},${y(c.value)}` : ` H${x(c.occurredAt)} V${y(c.value)}`;
    last = c.value;
  }
  if (last !== null) d += ` H296`;
  const path = document.createElementNS(svgNs, 'path');
  path.setAttribute('d', d.trim());
  path.setAttribute('fill', 'none');
  path.setAttribute('stroke', '#2c5aa0');
  path.setAttribute('stroke-width', '2');
  svg.append(path);
  return svg;
}

export function historyList(changes) {
  const list = Object.assign(document.createElement('ol'), { className: 'history' });
  for (const c of changes) {
    const li = document.createElement('li');
    li.textContent = `${fmtDate(c.occurredAt)}: ${c.kind === 'withdraw' ? 'withdrawn' : fmt(c.value)}${c.summary ? ` — ${c.summary}` : ''}${c.source?.publisher ? ` (${c.source.publisher})` : ''}`;
    list.append(li);
  }
  return list;
}
