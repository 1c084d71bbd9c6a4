// Zones of agreement, outcomes, concessions, the gap summary and the alerts.
import { $ } from '../dom.js';
import { fmt, fmtDate } from '../format.js';
import { issueTitle, partyName } from '../names.js';
import { store } from '../store.js';

export function renderZones(zones) {
  const list = $('zones');
  const text = (z) => {
    // Only what the declared lines say: "agreement possible" would claim more when some parties
    // declared nothing, and "between 100 and 100" is a single point.
    const allowed = !z.zone ? null : z.zone.from === z.zone.to ? `only ${fmt(z.zone.from)}` : `${fmt(z.zone.from)} to ${fmt(z.zone.to)}`;
    const where = allowed ? `the declared red lines allow ${allowed}` : `no zone; red lines ${fmt(z.shortfall)} apart`;
    const assumed = z.determined ? 'every limit declared' : `no limit declared by ${z.assumed.map(partyName).join(', ')}`;
    const outside = z.outside.length ? `; outside it: ${z.outside.map((o) => `${partyName(o.party)} ${fmt(o.value)}`).join(', ')}` : '';
    return `${issueTitle(z.issue)}: ${where} — ${assumed}${outside}`;
  };
  list.replaceChildren(
    ...(zones.length
      ? zones.map((z) => Object.assign(document.createElement('li'), { textContent: text(z) }))
      : [Object.assign(document.createElement('li'), { className: 'empty', textContent: 'No red lines declared (as of this date).' })]),
  );
}

export function renderOutcomes(outcomes) {
  $('outcomes').replaceChildren(
    ...(outcomes.length
      ? outcomes.map((o) => Object.assign(document.createElement('li'), {
          textContent: `${issueTitle(o.issue)}: ${fmt(o.outcome)}${o.feasible === false ? ` — breaks ${o.breaks.map(partyName).join(', ')}'s red line` : ''} (from ${o.coverage.counted.map(partyName).join(', ')}${o.coverage.missing.length ? `; no position: ${o.coverage.missing.map(partyName).join(', ')}` : ''})`,
        }))
      : [Object.assign(document.createElement('li'), { className: 'empty', textContent: 'No positions yet.' })]),
  );
}

/** How far each of the pair moved toward the other (the dashboard answer's `concessions`), from the first day both compare. */
export function renderConcessions(concessions) {
  const box = $('concessions');
  if (!concessions) {
    box.textContent = '';
    return;
  }
  const [ab, ba] = concessions;
  const line = (c) => (c.mean === null ? `${partyName(c.party)} has no comparable stances yet` : `${partyName(c.party)} moved ${c.mean >= 0 ? 'toward' : 'away from'} ${partyName(c.toward)} by ${fmt(Math.abs(c.mean))} on average`);
  box.textContent = `Since ${fmtDate(ab.from)}: ${line(ab)}; ${line(ba)} (0–100 scale, per issue against where the other stood at the start).`;
}

/** The overall gap in words: how many issues it compares, and how they are weighed. */
export function renderGapSummary(pair) {
  const box = $('gap-summary');
  if (!pair) {
    box.textContent = '';
    return;
  }
  const known = store.negotiation.issues.length;
  box.textContent = pair.overall === null
    ? `${partyName(pair.a)} and ${partyName(pair.b)} share no issue yet (0 of ${known} issues compared).`
    : `Overall gap ${fmt(pair.overall)} of 100 (range ${fmt(pair.overallRange?.low)}–${fmt(pair.overallRange?.high)}), over ${pair.issues.length} of ${known} issues on which both have a position. ` +
      `Each issue weighs by the two parties' mean salience (0.5 when none is coded${pair.imputed?.salience ? `: ${pair.imputed.salience} of ${pair.issues.length * 2} were not` : ''}): ` +
      pair.issues.map((i) => `${issueTitle(i.issue)} ${fmt(i.gap)}${i.weight === 0 ? ' (weighs 0: left out)' : i.weight !== undefined ? ` (weight ${fmt(i.weight)})` : ''}`).join(', ') + '.';
}

export function renderAlerts(alerts) {
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
