// Parley dashboard: native ES modules over the public API (it reads, and posts events with a
// writer key). This entry loads, refreshes and wires the controls; store.js holds the state.
import { api } from './api.js';
import { $, setStatus } from './dom.js';
import { dayOf, fmtDate, isoDay } from './format.js';
import { connectFeed, reconnectLater } from './live.js';
import { renderAlerts, renderConcessions, renderGapSummary, renderOutcomes, renderZones } from './panels/analysis.js';
import { fillPairSelects, renderChart } from './panels/gap-chart.js';
import { renderInbox } from './panels/inbox.js';
import './panels/review.js';
import './panels/backtest.js';
import { fillScenarios, renderScenario } from './panels/scenario.js';
import { renderLegend, renderMatrix } from './panels/matrix.js';
import { latestEvents, olderEvents, renderTimeline } from './panels/timeline.js';
import { setUpSlider, showAtLabel, stepToEvent } from './slider.js';
import { store } from './store.js';
import { knownAtQuery, negotiationPath, saveState, scenarioQuery, state, versionQuery } from './url-state.js';

/** Where this browser keeps the negotiation it chose last (the root page opens it). */
const LAST_NEGOTIATION = 'parley.negotiation';

async function start() {
  try {
    const { negotiations } = await api('/negotiations');
    const select = $('negotiation');
    select.replaceChildren(...negotiations.map((n) => Object.assign(new Option(n.title, n.id), { title: n.id })));
    if (negotiations.length === 0) {
      setStatus('No negotiations yet. Import one: npx parley import examples/ukraine-2025/events.ndjson -n ukraine-2025');
      return;
    }
    // No negotiation in the link: the one this browser chose last, else the first.
    if (!state.n) state.n = localStorage.getItem(LAST_NEGOTIATION) ?? '';
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
  await fillScenarios();
  store.negotiation = await api(negotiationPath());
  store.events = await latestEvents(state.n);
  const parties = store.negotiation.parties.map((p) => p.party);
  if (!parties.includes(state.a)) state.a = parties[0] ?? '';
  if (!parties.includes(state.b) || state.b === state.a) state.b = parties.find((p) => p !== state.a) ?? '';
  fillPairSelects(parties);
  setUpSlider();
  renderTimeline();
  connectFeed().catch(reconnectLater);
  await refresh();
}

async function refresh() {
  const day = store.minDay + Number($('at').value);
  state.at = day >= dayOf(Date.now()) ? '' : isoDay(day);
  saveState();
  const at = state.at ? `at=${state.at}` : '';
  try {
    const pair = state.a && state.b && state.a !== state.b;
    // One request a refresh: every panel's answer, read at one position (GET …/dashboard).
    const span = pair ? `&between=${state.a},${state.b}&from=${isoDay(store.minDay)}&to=${isoDay(store.maxDay)}` : '';
    const view = await api(`/negotiations/${state.n}/dashboard?${at}${knownAtQuery()}${span}${scenarioQuery()}${versionQuery()}${state.published ? '&published=true' : ''}`);
    $('cell-detail').hidden = true;
    renderScenario(view);
    renderMatrix(view.stances, new Map(view.weekBefore.stances.map((s) => [`${s.party}/${s.issue}`, s])));
    renderLegend();
    renderZones(view.zones);
    renderOutcomes(view.outcomes);
    renderAlerts(view.alerts);
    renderGapSummary(view.gaps ?? undefined);
    renderInbox(view.inbox);
    renderChart(view.series);
    renderConcessions(view.concessions);
    setStatus(`${store.negotiation.title ?? state.n}: ${store.negotiation.parties.length} parties, ${store.negotiation.issues.length} issues, version ${store.negotiation.version}. As of ${fmtDate(view.at)}${state.knownAt ? `, as known at ${new Date(view.knownAt).toLocaleString('en-GB')}` : ''}.${state.version ? ` At cited version ${view.version}.` : ''}${view.published ? ' Only what was public then.' : ''}${view.scenario ? ` Scenario "${view.scenario}" (hypothetical).` : ''}`);
  } catch (error) {
    setStatus(error.message, true);
  }
}

$('negotiation').addEventListener('change', async (e) => {
  Object.assign(state, { n: e.target.value, at: '', a: '', b: '', scenario: '', version: '' });
  localStorage.setItem(LAST_NEGOTIATION, state.n);
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
  store.following = false;
  refresh();
});

$('known-at').addEventListener('change', async (e) => {
  state.knownAt = e.target.value;
  store.negotiation = await api(negotiationPath());
  await refresh();
});

$('version').addEventListener('change', async (e) => {
  // A cited version is of the record: it and a scenario do not go together.
  state.version = e.target.value;
  if (state.version) {
    state.scenario = '';
    $('scenario').value = '';
  }
  store.negotiation = await api(negotiationPath());
  await refresh();
});

$('published').addEventListener('change', async (e) => {
  state.published = e.target.checked ? 'true' : '';
  await refresh();
});

$('known-now').addEventListener('click', async () => {
  state.knownAt = '';
  $('known-at').value = '';
  store.negotiation = await api(negotiationPath());
  await refresh();
});

$('scenario').addEventListener('change', async (e) => {
  state.scenario = e.target.value;
  if (state.scenario) {
    state.version = '';
    $('version').value = '';
  }
  // A branch may add parties or issues: the matrix's rows and columns come from here.
  store.negotiation = await api(negotiationPath());
  connectFeed().catch(reconnectLater);
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

addEventListener('resize', () => store.chart?.setSize({ width: Math.max($('chart').clientWidth, 200), height: 260 }));

// Anything that changed what is shown asks for a refresh (dom.js requestRefresh).
document.addEventListener('parley:refresh', (event) => refresh().then(event.detail?.done));

start();
