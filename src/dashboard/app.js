// Parley dashboard: plain ES module over the public API: it reads, and posts events with a writer key.
const $ = (id) => document.getElementById(id);
const DAY = 86_400_000;
const params = new URLSearchParams(location.search);
const state = {
  n: params.get('n') ?? '',
  at: params.get('at') ?? '',
  knownAt: params.get('knownAt') ?? '',
  a: params.get('a') ?? '',
  b: params.get('b') ?? '',
  cell: params.get('cell') ?? '',
};
let negotiation = null; // details: parties, issues
let events = [];
let minDay = 0;
let chart = null;
let source = null;
let refreshTimer = null;

// ---------- HTTP ----------
function headers() {
  const key = sessionStorage.getItem('parley-key');
  return key ? { authorization: `Bearer ${key}` } : {};
}

/** Waits as the server asks (Retry-After, in seconds), within reason. */
const pause = (response) => new Promise((resolve) => setTimeout(resolve, Math.min(Number(response.headers.get('retry-after')) || 1, 30) * 1000));

async function api(path, init = {}, attempt = 1) {
  let response;
  try {
    response = await fetch(path, { ...init, headers: { ...headers(), ...(init.headers ?? {}) } });
  } catch {
    throw new Error('Cannot reach the Parley server. Is it running?');
  }
  // Throttled (an operator set PARLEY_RATE_LIMIT) or the projections are catching up: a read
  // says so and tries again after Retry-After, a few times, rather than failing the panel.
  if ((response.status === 429 || response.status === 503) && (init.method ?? 'GET') === 'GET' && attempt <= 3) {
    setStatus(response.status === 429 ? 'The server asks us to slow down; trying again…' : 'The server is catching up; trying again…');
    await pause(response);
    return api(path, init, attempt + 1);
  }
  if (response.status === 401 || response.status === 403) {
    $('key-panel').hidden = false;
    throw new Error('This server needs an API key: enter one above.');
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.message ?? body.issues?.[0]?.message ?? `HTTP ${response.status}`);
  return body;
}

function setStatus(text, error = false) {
  $('status').textContent = text;
  $('status').classList.toggle('error', error);
}

// ---------- state in the URL ----------
function saveState() {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(state)) if (value) query.set(key, value);
  history.replaceState(null, '', `${location.pathname}?${query}`);
}

const dayOf = (time) => Math.floor(time / DAY);
const isoDay = (day) => new Date(day * DAY).toISOString().slice(0, 10);
const fmtDate = (iso) => new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const fmt = (v) => (v === null || v === undefined ? '–' : String(Math.round(v * 10) / 10));
const knownAtQuery = () => (state.knownAt ? `&knownAt=${encodeURIComponent(new Date(state.knownAt).toISOString())}` : '');

// ---------- loading ----------
async function start() {
  try {
    const { negotiations } = await api('/negotiations');
    const select = $('negotiation');
    select.replaceChildren(...negotiations.map((n) => Object.assign(new Option(n.title, n.id), { title: n.id })));
    if (negotiations.length === 0) {
      setStatus('No negotiations yet. Import one: npx parley import examples/ukraine-2025/events.ndjson -n ukraine-2025');
      return;
    }
    if (!negotiations.some((n) => n.id === state.n)) state.n = negotiations[0].id;
    select.value = state.n;
    await openNegotiation();
  } catch (error) {
    setStatus(`${error.message} Retrying…`, true);
    setTimeout(start, 5000);
  }
}

async function openNegotiation() {
  setStatus('Loading…');
  negotiation = await api(`/negotiations/${state.n}?${knownAtQuery().slice(1)}`);
  events = await latestEvents(state.n);
  const parties = negotiation.parties.map((p) => p.party);
  if (!parties.includes(state.a)) state.a = parties[0] ?? '';
  if (!parties.includes(state.b) || state.b === state.a) state.b = parties.find((p) => p !== state.a) ?? '';
  fillPairSelects(parties);
  setUpSlider();
  renderTimeline();
  connectFeed().catch(reconnectLater);
  await refresh();
}

/** The newest events only (one page): a long negotiation never loads its whole log here. */
const EVENTS_SHOWN = 200;
let olderBefore = null;
/** The page of events just before position `before`; remembers where the older page starts. */
async function eventsBefore(n, before) {
  const page = await api(`/negotiations/${n}/events?before=${before}&limit=${EVENTS_SHOWN}`);
  olderBefore = page.previous ?? null;
  return page.events;
}

function latestEvents(n) {
  return eventsBefore(n, Number.MAX_SAFE_INTEGER);
}

/** The page of events before the oldest shown ("Older events"). */
async function olderEvents() {
  if (olderBefore === null) return;
  events = [...(await eventsBefore(state.n, olderBefore)), ...events];
  renderTimeline();
}

let maxDay = 0;
// Until the analyst picks a date, the page follows the story's latest day as news arrives.
let following = !params.get('at');
/**
 * The slider spans the talks themselves (from the negotiation's `span`): from two days before
 * the first position to a week after the last, or to today while the talks are live (a position
 * in the last 30 days). It opens on the last day of the story, or today when live.
 */
function setUpSlider() {
  const today = dayOf(Date.now());
  const span = negotiation.span;
  const first = span ? dayOf(Date.parse(span.first)) : today;
  const last = span ? dayOf(Date.parse(span.last)) : today;
  const live = today - last <= 30;
  minDay = first - 2;
  maxDay = live ? today : Math.min(last + 7, today);
  const slider = $('at');
  slider.min = '0';
  slider.max = String(maxDay - minDay);
  slider.dataset.minDate = isoDay(minDay);
  const chosen = state.at && !following ? dayOf(Date.parse(`${state.at}T00:00:00Z`)) : live ? today : last;
  slider.value = String(Math.min(Math.max(chosen - minDay, 0), maxDay - minDay));
  $('known-at').value = state.knownAt;
  showAtLabel();
}

function showAtLabel() {
  const day = minDay + Number($('at').value);
  $('at-label').textContent = `${fmtDate(isoDay(day))}${day >= dayOf(Date.now()) ? ' (today)' : ''}`;
}

/** Days on which something was said, tabled or met, from the events loaded. */
function eventDays() {
  return [...new Set(events.filter((e) => !e.negotiation.includes('.') && /Position|Proposal|Meeting|RedLine|Corrected|Retracted/.test(e.type)).map((e) => dayOf(Date.parse(e.occurredAt))))].sort((x, y) => x - y);
}

function stepToEvent(direction) {
  const day = minDay + Number($('at').value);
  const days = eventDays();
  const target = direction < 0 ? days.filter((d) => d < day).pop() : days.find((d) => d > day);
  if (target === undefined) return;
  $('at').value = String(Math.min(Math.max(target - minDay, 0), maxDay - minDay));
  following = false;
  showAtLabel();
  refresh();
}

async function refresh() {
  const day = minDay + Number($('at').value);
  state.at = day >= dayOf(Date.now()) ? '' : isoDay(day);
  saveState();
  const at = state.at ? `at=${state.at}` : '';
  try {
    const pair = state.a && state.b && state.a !== state.b;
    const [stances, zones, alerts, outcomes, gaps] = await Promise.all([
      api(`/negotiations/${state.n}/stances?${at}${knownAtQuery()}`),
      negotiation.parties.length >= 2 ? api(`/negotiations/${state.n}/zones?${at}${knownAtQuery()}`) : { zones: [] },
      api(`/negotiations/${state.n}/alerts`),
      api(`/negotiations/${state.n}/outcomes?${at}${knownAtQuery()}`),
      pair ? api(`/negotiations/${state.n}/gaps?between=${state.a},${state.b}&${at}${knownAtQuery()}`) : { pairs: [] },
    ]);
    $('cell-detail').hidden = true;
    renderMatrix(stances.stances);
    renderLegend();
    renderZones(zones.zones);
    renderOutcomes(outcomes.outcomes);
    renderAlerts(alerts.alerts);
    renderGapSummary(gaps.pairs[0]);
    await renderInbox();
    const series = await renderChart();
    await renderConcessions(pair, at, series);
    setStatus(`${negotiation.title ?? state.n}: ${negotiation.parties.length} parties, ${negotiation.issues.length} issues, version ${negotiation.version}. As of ${fmtDate(stances.at)}${state.knownAt ? `, as known at ${new Date(stances.knownAt).toLocaleString('en-GB')}` : ''}.`);
  } catch (error) {
    setStatus(error.message, true);
  }
}

// ---------- stance matrix ----------
/**
 * A diverging scale, not a rainbow: the issue's low end (0) deep blue, its middle pale grey,
 * its high end (100) deep red, so no colour reads as "good". Text is dark on pale cells.
 */
function colour(issue, value) {
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

function luminance(h, s, l) {
  const a = (s / 100) * Math.min(l / 100, 1 - l / 100);
  const channel = (n) => {
    const k = (n + h / 30) % 12;
    const c = l / 100 - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(8) + 0.0722 * channel(4);
}

const contrast = (x, y) => (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);

const partyName = (slug) => negotiation?.parties.find((p) => p.party === slug)?.name ?? slug;
const issueTitle = (slug) => negotiation?.issues.find((i) => i.issue === slug)?.title ?? slug;

function nearestLabel(issue, value) {
  const labels = Object.entries(issue.scale.labels ?? {});
  if (labels.length === 0) return '';
  labels.sort((x, y) => Math.abs(Number(x[0]) - value) - Math.abs(Number(y[0]) - value));
  return labels[0][1];
}

function renderMatrix(stances) {
  const table = $('matrix');
  const { parties, issues } = negotiation;
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
        // Changed in the week before the chosen day: marked, so a step shows what moved.
        const chosenDay = minDay + Number($('at').value);
        if (chosenDay - dayOf(Date.parse(stance.since)) < 7) {
          button.classList.add('changed');
          button.append(Object.assign(document.createElement('span'), { className: 'changed-mark', textContent: `new since ${fmtDate(isoDay(chosenDay - 7))}` }));
        }
        button.title = `${party.name} on ${issue.title}: ${fmt(stance.value)}${label ? ` (${label})` : ''}\nsince ${fmtDate(stance.since)}${stance.source?.publisher ? `, ${stance.source.publisher}` : ''}`;
        // The accessible name starts with what the cell shows, then says whose and since when.
        button.setAttribute('aria-label', `${button.textContent.trim()}: ${party.name} on ${issue.title}, since ${fmtDate(stance.since)}`);
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
      const line = negotiation.redLines.find((r) => r.party === party.party && r.issue === issue.issue);
      if (line) {
        // The party's red line on this issue: the acceptable part of the scale, as a band.
        const span = issue.scale.max - issue.scale.min;
        const from = ((line.min ?? issue.scale.min) - issue.scale.min) / span;
        const to = ((line.max ?? issue.scale.max) - issue.scale.min) / span;
        const band = Object.assign(document.createElement('span'), { className: 'redline', title: `${party.name}'s red line: acceptable ${fmt(line.min ?? issue.scale.min)}–${fmt(line.max ?? issue.scale.max)}` });
        band.style.left = `${from * 100}%`;
        band.style.width = `${Math.max((to - from) * 100, 2)}%`;
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
function renderLegend() {
  const legend = $('legend');
  const items = negotiation.issues.map((issue) => {
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

function showDetail(party, issue, stance) {
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
  // The cell's history: every change of this party's stance on this issue, as a step line.
  api(`/negotiations/${state.n}/parties/${party.party}/history?issue=${issue.issue}${knownAtQuery()}`)
    .then(({ changes }) => detail.append(sparkline(issue, changes), historyList(changes)))
    .catch(() => undefined);
}

function sparkline(issue, changes) {
  const svgNs = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('viewBox', '0 0 300 60');
  svg.setAttribute('class', 'sparkline');
  svg.setAttribute('role', 'img');
  const set = changes.filter((c) => c.kind === 'set');
  svg.setAttribute('aria-label', `History: ${set.map((c) => `${fmt(c.value)} from ${fmtDate(c.occurredAt)}`).join(', ') || 'no change'}`);
  if (set.length === 0) return svg;
  const t0 = dayOf(Date.parse(changes[0].occurredAt));
  const t1 = Math.max(maxDay, t0 + 1);
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

function historyList(changes) {
  const list = Object.assign(document.createElement('ol'), { className: 'history' });
  for (const c of changes) {
    const li = document.createElement('li');
    li.textContent = `${fmtDate(c.occurredAt)}: ${c.kind === 'withdraw' ? 'withdrawn' : fmt(c.value)}${c.summary ? ` — ${c.summary}` : ''}${c.source?.publisher ? ` (${c.source.publisher})` : ''}`;
    list.append(li);
  }
  return list;
}

// ---------- gap chart ----------
function fillPairSelects(parties) {
  for (const [id, key] of [['pair-a', 'a'], ['pair-b', 'b']]) {
    const select = $(id);
    select.replaceChildren(...parties.map((p) => new Option(negotiation.parties.find((x) => x.party === p).name, p)));
    select.value = state[key];
    select.disabled = parties.length < 2;
  }
}

async function renderChart() {
  const box = $('chart');
  const empty = $('chart-empty');
  if (!state.a || !state.b || state.a === state.b) {
    chart?.destroy();
    chart = null;
    empty.hidden = false;
    empty.textContent = 'Choose two different parties to see the gap between them.';
    return undefined;
  }
  // The story's span: from before the first event to a week after the last (or the chosen day).
  const from = isoDay(minDay);
  const to = isoDay(maxDay);
  const series = await api(`/negotiations/${state.n}/gaps/series?between=${state.a},${state.b}&from=${from}&to=${to}&step=P1D${knownAtQuery()}`);
  const issues = negotiation.issues.map((i) => i.issue);
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
  const chosenAt = ((minDay + Number($('at').value)) * DAY) / 1000;
  const markers = eventDays().map((d) => (d * DAY) / 1000);
  const width = Math.max(box.clientWidth, 200);
  const options = {
    width,
    height: 260,
    scales: { y: { range: [0, 100] } },
    series: [
      {},
      { label: 'overall', stroke: '#1d2330', width: 2.5, value: (_u, v) => fmt(v) },
      ...issues.map((issue, i) => ({ label: issueTitle(issue), stroke: `hsl(${(i * 47) % 360} 55% 45%)`, width: 1, dash: i % 2 ? [6, 3] : undefined, value: (_u, v) => fmt(v) })),
      { label: 'overall, highest', stroke: 'rgba(29, 35, 48, 0.25)', width: 1, value: (_u, v) => fmt(v) },
      { label: 'overall, lowest', stroke: 'rgba(29, 35, 48, 0.25)', width: 1, value: (_u, v) => fmt(v) },
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
  chart?.destroy();
  chart = new uPlot(options, data, box);
  // The legend shows the chosen day's values until the cursor points elsewhere.
  const chosenIndex = xs.findIndex((x) => x >= chosenAt);
  chart.setLegend({ idx: chosenIndex < 0 ? xs.length - 1 : chosenIndex });
  return series;
}

// ---------- news inbox and coding ----------
let codingItem = null;

/** The title with its matched terms marked (text nodes only: item text is never HTML). */
function highlighted(title, terms) {
  const span = document.createElement('span');
  if (terms.length === 0) return Object.assign(span, { textContent: title });
  const pattern = new RegExp(`(${terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`, 'giu');
  for (const part of title.split(pattern)) {
    span.append(terms.some((t) => t.toLowerCase() === part.toLowerCase()) ? Object.assign(document.createElement('mark'), { textContent: part }) : part);
  }
  return span;
}

async function renderInbox() {
  const { items } = await api(`/negotiations/${state.n}/inbox?status=new`).catch(() => ({ items: [] }));
  $('inbox').replaceChildren(
    ...(items.length
      ? items.slice(0, 20).map((item) => {
          const li = Object.assign(document.createElement('li'), { className: 'inbox-item' });
          li.dataset.item = item.id;
          const text = document.createElement('span');
          text.append(highlighted(item.title, item.matchedTerms), ` — ${item.publisher ?? 'unknown publisher'}${item.publishedAt ? `, ${fmtDate(item.publishedAt)}` : ''}`);
          const code = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Code…' });
          code.setAttribute('aria-label', `Code "${item.title}" as a position`);
          code.addEventListener('click', () => openCoding(item));
          li.append(text, code);
          return li;
        })
      : [Object.assign(document.createElement('li'), { className: 'empty', textContent: 'Nothing waiting: new matching items appear here.' })]),
  );
}

function openCoding(item) {
  codingItem = item;
  const form = $('code-form');
  form.hidden = false;
  $('code-item').textContent = `Coding: ${item.title}`;
  $('code-party').replaceChildren(...negotiation.parties.map((p) => new Option(p.name, p.party)));
  $('code-issue').replaceChildren(...negotiation.issues.map((i) => new Option(i.title, i.issue)));
  $('code-date').value = (item.publishedAt ?? new Date().toISOString()).slice(0, 10);
  $('code-result').textContent = '';
  $('code-value').focus();
}

$('code-cancel').addEventListener('click', () => {
  $('code-form').hidden = true;
  codingItem = null;
});

// One request: a position whose source cites the item (url, publisher and date come from it).
$('code-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  if (!codingItem) return;
  const event = {
    type: 'PositionStated',
    occurredAt: `${$('code-date').value}T00:00:00Z`,
    datePrecision: 'day',
    data: { party: $('code-party').value, issue: $('code-issue').value, value: Number($('code-value').value), ...($('code-summary').value ? { summary: $('code-summary').value } : {}) },
    source: { itemId: codingItem.id, title: codingItem.title },
  };
  try {
    await api(`/negotiations/${state.n}/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events: [event] }) });
    $('code-result').textContent = 'Coded. The item leaves the inbox; the position cites it.';
    codingItem = null;
    $('code-form').hidden = true;
    await refresh();
  } catch (error) {
    $('code-result').textContent = error.message;
  }
});

/** Hovering near an event line names what happened that day. */
function showMarkerLabel(u, markers) {
  const tip = $('marker-tip');
  const left = u.cursor.left;
  if (left === undefined || left < 0) return void (tip.hidden = true);
  const near = markers.filter((x) => Math.abs(u.valToPos(x, 'x') - left) <= 4);
  if (near.length === 0) return void (tip.hidden = true);
  const days = new Set(near.map((x) => Math.round((x * 1000) / DAY)));
  const happened = events.filter((e) => !e.negotiation.includes('.') && days.has(dayOf(Date.parse(e.occurredAt))) && /Position|Proposal|Meeting|RedLine|Corrected|Retracted/.test(e.type));
  tip.textContent = `${fmtDate(new Date([...days][0] * DAY).toISOString())}: ${happened.map((e) => `${e.type} — ${describe(e)}`.slice(0, 120)).join(' · ')}`;
  tip.hidden = happened.length === 0;
}

/** One small chart per issue (where lines on the big chart coincide, these stay apart). */
function renderMultiples(xs, points) {
  const svgNs = 'http://www.w3.org/2000/svg';
  const cards = negotiation.issues.map((issue) => {
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

// ---------- zones, alerts, timeline ----------
function renderZones(zones) {
  const list = $('zones');
  const text = (z) => {
    const where = z.zone ? `agreement possible between ${fmt(z.zone.from)} and ${fmt(z.zone.to)}` : `no zone; red lines ${fmt(z.shortfall)} apart`;
    const assumed = z.determined ? 'every limit declared' : `limits of ${z.assumed.map(partyName).join(', ')} assumed (none declared)`;
    const outside = z.outside.length ? `; outside it: ${z.outside.map((o) => `${partyName(o.party)} ${fmt(o.value)}`).join(', ')}` : '';
    return `${issueTitle(z.issue)}: ${where} — ${assumed}${outside}`;
  };
  list.replaceChildren(
    ...(zones.length
      ? zones.map((z) => Object.assign(document.createElement('li'), { textContent: text(z) }))
      : [Object.assign(document.createElement('li'), { className: 'empty', textContent: 'No red lines declared (as of this date).' })]),
  );
}

function renderOutcomes(outcomes) {
  $('outcomes').replaceChildren(
    ...(outcomes.length
      ? outcomes.map((o) => Object.assign(document.createElement('li'), {
          textContent: `${issueTitle(o.issue)}: ${fmt(o.outcome)}${o.feasible === false ? ` — breaks ${o.breaks.map(partyName).join(', ')}'s red line` : ''} (from ${o.coverage.counted.map(partyName).join(', ')}${o.coverage.missing.length ? `; no position: ${o.coverage.missing.map(partyName).join(', ')}` : ''})`,
        }))
      : [Object.assign(document.createElement('li'), { className: 'empty', textContent: 'No positions yet.' })]),
  );
}

/** How far each of the pair moved toward the other, from the story's first day to the chosen one. */
async function renderConcessions(pair, at, series) {
  const box = $('concessions');
  // From the first day both had a position on a shared issue: before it, nothing compares.
  const first = series?.points.find((p) => p.overall !== null);
  if (!pair || !first) {
    box.textContent = '';
    return;
  }
  const from = isoDay(dayOf(Date.parse(first.at)));
  const to = at ? at.slice(3) : isoDay(maxDay);
  const moved = async (party, toward) => api(`/negotiations/${state.n}/concessions?party=${party}&toward=${toward}&from=${from}&to=${to}${knownAtQuery()}`);
  const [ab, ba] = await Promise.all([moved(state.a, state.b), moved(state.b, state.a)]).catch(() => [null, null]);
  const line = (c) => (!c || c.mean === null ? `${partyName(c?.party ?? '')} has no comparable stances yet` : `${partyName(c.party)} moved ${c.mean >= 0 ? 'toward' : 'away from'} ${partyName(c.toward)} by ${fmt(Math.abs(c.mean))} on average`);
  box.textContent = `Since ${fmtDate(from)}: ${line(ab)}; ${line(ba)} (0–100 scale, per issue against where the other stood at the start).`;
}

/** The overall gap in words: how many issues it compares, and how they are weighed. */
function renderGapSummary(pair) {
  const box = $('gap-summary');
  if (!pair) {
    box.textContent = '';
    return;
  }
  const known = negotiation.issues.length;
  box.textContent = pair.overall === null
    ? `${partyName(pair.a)} and ${partyName(pair.b)} share no issue yet (0 of ${known} issues compared).`
    : `Overall gap ${fmt(pair.overall)} of 100 (range ${fmt(pair.overallRange?.low)}–${fmt(pair.overallRange?.high)}), over ${pair.issues.length} of ${known} issues on which both have a position. ` +
      'Each issue weighs by the two parties\' mean salience (0.5 when none is coded): ' +
      pair.issues.map((i) => `${issueTitle(i.issue)} ${fmt(i.gap)}`).join(', ') + '.';
}

function renderAlerts(alerts) {
  const recent = alerts.slice(-10).reverse();
  $('alerts').replaceChildren(
    ...(recent.length
      ? recent.map((a) => Object.assign(document.createElement('li'), {
          className: a.type === 'AlertResolved' ? 'resolved' : 'fired',
          textContent: `${a.type === 'AlertResolved' ? 'Resolved' : a.type === 'AlertRestated' ? 'Restated' : 'Fired'} ${fmtDate(a.data.at)} — ${a.data.name}: ${a.data.summary}`,
        }))
      : [Object.assign(document.createElement('li'), { className: 'empty', textContent: 'No alert has fired.' })]),
  );
}

function describe(event) {
  const d = event.data ?? {};
  if (d.party && d.issue && d.value !== undefined) return `${partyName(d.party)} on ${issueTitle(d.issue)}: ${fmt(d.value)}${d.summary ? ` — ${d.summary}` : ''}`;
  if (d.party && d.issue && d.acceptable) {
    const { min, max } = d.acceptable;
    const range = min !== undefined && max !== undefined ? `${fmt(min)}–${fmt(max)}` : min !== undefined ? `at least ${fmt(min)}` : `at most ${fmt(max)}`;
    return `${partyName(d.party)}'s red line on ${issueTitle(d.issue)}: acceptable ${range}${d.summary ? ` — ${d.summary}` : ''}`;
  }
  if (d.sponsors) return `${d.title} (${d.sponsors.map(partyName).join(', ')}${d.venue ? `, ${d.venue}` : ''})`;
  if (d.participants) return `${d.participants.map(partyName).join(', ')}${d.place ? ` in ${d.place}` : ''}${d.summary ? ` — ${d.summary}` : ''}`;
  if (d.summary) return d.summary;
  return d.reason ?? d.title ?? d.name ?? d.issue ?? '';
}

function timelineItem(event, fresh = false) {
  const li = document.createElement('li');
  li.dataset.id = event.id;
  if (fresh) li.className = 'new';
  li.append(Object.assign(document.createElement('span'), { className: 'type', textContent: event.type }), ' ');
  li.append(Object.assign(document.createElement('span'), { className: 'when', textContent: fmtDate(event.occurredAt) }), document.createElement('br'));
  li.append(describe(event));
  if (event.type === 'EventCorrected' || event.type === 'EventRetracted') {
    // What it changed, when that event is among those loaded.
    const target = events.find((e) => e.id === event.data?.target);
    const what = Object.assign(document.createElement('span'), { className: 'amends' });
    what.textContent = target
      ? ` ${event.type === 'EventCorrected' ? 'Corrects' : 'Retracts'} ${target.type} of ${fmtDate(target.occurredAt)}: ${describe(target)}${event.type === 'EventCorrected' ? ` → ${describe({ ...target, data: event.data.data })}` : ''}`
      : ` ${event.type === 'EventCorrected' ? 'Corrects' : 'Retracts'} event ${event.data?.target ?? ''}`;
    li.append(document.createElement('br'), what);
  }
  const src = event.source;
  if (src) {
    li.append(document.createElement('br'));
    const cite = Object.assign(document.createElement('span'), { className: 'when' });
    if (src.url) cite.append(Object.assign(document.createElement('a'), { href: src.url, textContent: src.title ?? src.url, rel: 'noopener' }));
    else cite.append(src.title ?? '');
    if (src.publisher) cite.append(` — ${src.publisher}`);
    li.append(cite);
  }
  return li;
}

function renderTimeline() {
  const sorted = [...events].sort((x, y) => y.globalPosition - x.globalPosition);
  $('timeline').replaceChildren(...sorted.map((e) => timelineItem(e)));
  $('older').hidden = olderBefore === null;
}

// ---------- live ----------
// The feed survives restarts and token expiry: on any error the page closes the stream itself
// (EventSource would retry with the same, possibly expired, token and give up on a 401), gets a
// fresh token and reconnects after the last event it saw, backing off up to 15 s.
let lastSeen = 0;
let retries = 0;
let reconnectTimer;

async function freshToken() {
  if (!sessionStorage.getItem('parley-key')) return undefined;
  return (await api('/feed/tokens', { method: 'POST' })).token;
}

function reconnectLater() {
  clearTimeout(reconnectTimer);
  const delay = Math.min(1000 * 2 ** retries++, 15000);
  reconnectTimer = setTimeout(() => connectFeed().catch(reconnectLater), delay);
}

async function connectFeed() {
  source?.close();
  clearTimeout(reconnectTimer);
  const head = Math.max(lastSeen, ...events.map((e) => e.globalPosition), 0);
  let url = `/feed?negotiation=${state.n}&after=${head}`;
  const token = await freshToken();
  if (token) url += `&token=${encodeURIComponent(token)}`;
  const current = new EventSource(url);
  source = current;
  current.onopen = () => {
    retries = 0;
    $('live').classList.add('on');
  };
  current.onerror = () => {
    $('live').classList.remove('on');
    if (source !== current) return;
    current.close();
    reconnectLater();
  };
  const onEvent = (message) => {
    lastSeen = Math.max(lastSeen, Number(message.lastEventId) || 0);
    const event = JSON.parse(message.data).data;
    if (events.some((e) => e.id === event.id)) return;
    events.push(event);
    $('timeline').prepend(timelineItem(event, true));
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(async () => {
      negotiation = await api(`/negotiations/${state.n}?${knownAtQuery().slice(1)}`);
      setUpSlider();
      await refresh();
    }, 150);
  };
  const types = ['NegotiationOpened', 'PartyAdded', 'IssueDefined', 'PositionStated', 'ProposalTabled', 'MeetingHeld', 'PositionWithdrawn', 'RedLineDeclared', 'EventCorrected', 'EventRetracted', 'NewsItemDismissed', 'AlertFired', 'AlertRestated', 'AlertResolved', 'AlertRuleCreated', 'AlertRuleChanged', 'AlertRuleRemoved'];
  for (const type of types) current.addEventListener(type, onEvent);
}

// ---------- controls ----------
$('negotiation').addEventListener('change', async (e) => {
  Object.assign(state, { n: e.target.value, at: '', a: '', b: '' });
  await openNegotiation();
});
$('at').addEventListener('input', showAtLabel);
$('prev-event').addEventListener('click', () => stepToEvent(-1));
$('older').addEventListener('click', () => olderEvents().catch((error) => setStatus(error.message, true)));
$('next-event').addEventListener('click', () => stepToEvent(1));
// [ and ]: the previous and next event, from anywhere on the page but a text field.
addEventListener('keydown', (e) => {
  if (e.target instanceof HTMLInputElement && e.target.type !== 'range') return;
  if (e.key === '[') stepToEvent(-1);
  if (e.key === ']') stepToEvent(1);
});
$('at').addEventListener('change', () => {
  following = false;
  refresh();
});
$('known-at').addEventListener('change', async (e) => {
  state.knownAt = e.target.value;
  negotiation = await api(`/negotiations/${state.n}?${knownAtQuery().slice(1)}`);
  await refresh();
});
$('known-now').addEventListener('click', async () => {
  state.knownAt = '';
  $('known-at').value = '';
  negotiation = await api(`/negotiations/${state.n}`);
  await refresh();
});
$('pair-a').addEventListener('change', (e) => { state.a = e.target.value; refresh(); });
$('pair-b').addEventListener('change', (e) => { state.b = e.target.value; refresh(); });
$('key-form').addEventListener('submit', (e) => {
  e.preventDefault();
  sessionStorage.setItem('parley-key', $('key').value);
  $('key-panel').hidden = true;
  start();
});
addEventListener('resize', () => chart?.setSize({ width: Math.max($('chart').clientWidth, 200), height: 260 }));

start();
