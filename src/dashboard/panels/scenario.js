// Scenario branches (contract v4): the selector beside the time controls, the banner that says a
// branch is shown, and the record beside the branch (the dashboard answer's `difference`).
// Hypothetical stances are marked in the matrix itself (matrix.js).
import { api } from '../api.js';
import { $ } from '../dom.js';
import { fmt } from '../format.js';
import { issueTitle, partyName } from '../names.js';
import { state } from '../url-state.js';

const signed = (v) => (v === null || v === undefined ? '–' : `${v > 0 ? '+' : ''}${fmt(v)}`);

/** The negotiation's open branches in the selector ("The record" first); a closed one in the URL falls back to the record. */
export async function fillScenarios() {
  const { scenarios } = await api(`/negotiations/${state.n}/scenarios?status=open`);
  const select = $('scenario');
  select.replaceChildren(new Option('The record', ''), ...scenarios.map((s) => Object.assign(new Option(`${s.name} (hypothetical)`, s.name), { title: s.description ?? '' })));
  if (!scenarios.some((s) => s.name === state.scenario)) state.scenario = '';
  select.value = state.scenario;
  select.disabled = scenarios.length === 0;
  select.title = scenarios.length === 0 ? 'No scenario branch yet: open one with `parley scenario open` or POST …/scenarios' : '';
}

/** The banner and the side-by-side card: shown only while a branch is. */
export function renderScenario(view) {
  const on = Boolean(view.scenario);
  document.body.classList.toggle('in-scenario', on);
  $('scenario-banner').hidden = !on;
  $('scenario-card').hidden = !on;
  if (!on) return;
  $('scenario-banner').textContent = `Scenario "${view.scenario}": the record up to the branch's base plus its hypothetical events (marked ◇). Alerts and the inbox are the record's.`;
  const { stances, pairs, outcomes } = view.difference;
  const row = (cells) => {
    const tr = document.createElement('tr');
    for (const text of cells) tr.append(Object.assign(document.createElement('td'), { textContent: text }));
    return tr;
  };
  const head = (title) => {
    const tr = document.createElement('tr');
    tr.append(Object.assign(document.createElement('th'), { scope: 'colgroup', colSpan: 4, textContent: title }));
    return tr;
  };
  const table = $('scenario-diff');
  table.replaceChildren(
    Object.assign(document.createElement('caption'), { textContent: 'The record beside the branch: record, branch, change' }),
    head('Stances the branch changes'),
    ...(stances.length ? stances.map((s) => row([`${partyName(s.party)} on ${issueTitle(s.issue)}${s.hypothetical ? ' ◇' : ''}`, fmt(s.record), fmt(s.branch), signed(s.change)])) : [row(['none at this date', '', '', ''])]),
    head('Overall gaps'),
    ...pairs.filter((p) => p.overall.change !== 0).map((p) => row([`${partyName(p.a)} – ${partyName(p.b)}`, fmt(p.overall.record), fmt(p.overall.branch), signed(p.overall.change)])),
    head('Likely outcomes (compromise model)'),
    ...outcomes.filter((o) => o.model === 'compromise').map((o) => row([issueTitle(o.issue), fmt(o.record), fmt(o.branch), signed(o.change)])),
  );
}
