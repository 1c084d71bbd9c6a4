// Backtests (contract v4): each outcome model as it was known at each date, scored against the
// recorded outcomes. Loaded when the box is opened, not on every refresh.
import { api } from '../api.js';
import { $ } from '../dom.js';
import { fmt, fmtDate } from '../format.js';
import { issueTitle } from '../names.js';
import { state } from '../url-state.js';

const MODELS = { compromise: 'compromise', 'weighted-median': 'weighted median', baseline: 'baseline' };

export async function renderBacktest() {
  const model = $('backtest-model').value;
  const by = $('backtest-by').value;
  const answer = await api(`/negotiations/${state.n}/backtest?model=${model}&by=${by}`);
  const table = $('backtest');
  const summary = $('backtest-summary');
  if (answer.outcomes.length === 0) {
    summary.textContent = 'No outcome recorded yet: nothing to score. An OutcomeRecorded event records what was agreed (or that nothing was) on an issue.';
    table.replaceChildren();
    return;
  }
  const { models, best, margin } = answer.comparison;
  summary.textContent =
    `Mean absolute error on the 0–100 scale, each prediction as known at its date (${by === 'recorded' ? 'what Parley held then' : 'what had been published by then'}): ` +
    models.map((m) => `${MODELS[m.model]} ${fmt(m.meanAbsoluteError)}`).join(', ') +
    (best ? `. Best: ${MODELS[best]}${margin === null ? '' : `, by ${fmt(margin)}`}.` : '.') +
    ` Baseline: ${answer.baseline}.`;
  const issues = answer.outcomes.map((o) => o.issue);
  const head = document.createElement('tr');
  for (const text of ['date', 'mean error', ...issues.map(issueTitle)]) head.append(Object.assign(document.createElement('th'), { scope: 'col', textContent: text }));
  const rows = answer.points
    .filter((p) => p.scored > 0)
    .map((p) => {
      const tr = document.createElement('tr');
      const cells = [fmtDate(p.at), fmt(p.mean), ...issues.map((i) => fmt(p.issues.find((x) => x.issue === i)?.error))];
      for (const text of cells) tr.append(Object.assign(document.createElement('td'), { textContent: text }));
      return tr;
    });
  table.replaceChildren(Object.assign(document.createElement('caption'), { textContent: `${MODELS[answer.model]}: error per issue and date` }), head, ...rows);
}

$('backtest-box').addEventListener('toggle', () => {
  if ($('backtest-box').open) renderBacktest().catch((error) => ($('backtest-summary').textContent = error.message));
});
for (const id of ['backtest-model', 'backtest-by']) {
  $(id).addEventListener('change', () => renderBacktest().catch((error) => ($('backtest-summary').textContent = error.message)));
}
