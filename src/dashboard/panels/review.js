// Review and agreement (contract v4): the open proposals with Accept / Reject, and
// Krippendorff's α. Loaded when the box is opened (and after each decision), not on every
// refresh: the refresh stays one request.
import { api, headers } from '../api.js';
import { $, requestRefresh } from '../dom.js';
import { fmtDate } from '../format.js';
import { state } from '../url-state.js';

const fmt = (n) => (n === null || n === undefined ? '–' : n.toFixed(3));

/** A read that may be refused to this key (a reader cannot list proposals): its answer or null. */
async function readIfAllowed(path) {
  const response = await fetch(path, { headers: headers() });
  if (response.status === 401 || response.status === 403) return null;
  if (!response.ok) throw new Error((await response.json().catch(() => ({}))).message ?? `HTTP ${response.status}`);
  return response.json();
}

function describe(event) {
  const d = event.data ?? {};
  if (event.type === 'PositionStated') return `${d.party} on ${d.issue} → ${d.value} (${fmtDate(event.occurredAt)})`;
  return `${event.type}${d.party ? ` ${d.party}` : ''}${d.issue ? ` on ${d.issue}` : ''}`;
}

export async function renderReview() {
  const [queue, agreement] = await Promise.all([
    readIfAllowed(`/negotiations/${state.n}/proposals?status=open`),
    readIfAllowed(`/negotiations/${state.n}/agreement`),
  ]);
  renderProposals(queue);
  renderAgreement(agreement);
}

function renderProposals(queue) {
  const list = $('proposals');
  if (queue === null) {
    list.replaceChildren(Object.assign(document.createElement('li'), { className: 'empty', textContent: 'The review queue needs a writer or admin key.' }));
    return;
  }
  if (queue.proposals.length === 0) {
    const text = queue.required ? 'No proposal waits for review.' : 'Review is off for this negotiation: writers append straight into the record.';
    list.replaceChildren(Object.assign(document.createElement('li'), { className: 'empty', textContent: text }));
    return;
  }
  list.replaceChildren(
    ...queue.proposals.map((proposal) => {
      const li = Object.assign(document.createElement('li'), { className: 'proposal' });
      li.dataset.proposal = proposal.id;
      const text = Object.assign(document.createElement('span'), { textContent: `${proposal.codedBy ?? 'someone'}: ${proposal.events.map(describe).join('; ')}` });
      const accept = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Accept' });
      accept.setAttribute('aria-label', `Accept ${proposal.codedBy ?? 'the'} proposal into the record`);
      accept.addEventListener('click', () => decide(proposal, 'accept', {}));
      const reason = Object.assign(document.createElement('input'), { type: 'text', placeholder: 'reason to reject', maxLength: 2000 });
      reason.setAttribute('aria-label', 'Reason to reject');
      const reject = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Reject', className: 'secondary' });
      reject.addEventListener('click', () => decide(proposal, 'reject', { reason: reason.value || 'rejected in review' }));
      li.append(text, accept, reason, reject);
      return li;
    }),
  );
}

/** One request per decision; then the queue and the panels are read again. */
async function decide(proposal, decision, body) {
  try {
    await api(`/negotiations/${state.n}/proposals/${proposal.id}/${decision}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    $('review-result').textContent = decision === 'accept' ? `Accepted: ${proposal.codedBy ?? 'the'} proposal is in the record.` : 'Rejected, with the reason kept.';
    await Promise.all([renderReview(), requestRefresh()]);
  } catch (error) {
    $('review-result').textContent = error.message;
  }
}

function renderAgreement(agreement) {
  const table = $('agreement');
  if (agreement === null || agreement.units === 0) {
    table.replaceChildren(Object.assign(document.createElement('caption'), { textContent: 'No news item coded by two people yet.' }));
    return;
  }
  const caption = Object.assign(document.createElement('caption'), {
    textContent: `${agreement.units} items coded by two or more (${agreement.coders.join(', ')}); values agree on ${agreement.percentAgreement === null ? '–' : agreement.percentAgreement.toFixed(0)} % of cells`,
  });
  const head = document.createElement('tr');
  for (const h of ['measure', 'α', '95 % interval', 'pairable']) head.append(Object.assign(document.createElement('th'), { textContent: h }));
  const rows = [['value (interval)', agreement.alpha.value], ['basis (nominal)', agreement.alpha.basis], ['assignment (nominal)', agreement.alpha.assignment]].map(([name, f]) => {
    const tr = document.createElement('tr');
    for (const cell of [name, fmt(f.estimate), `${fmt(f.low)} – ${fmt(f.high)}`, String(f.pairable)]) tr.append(Object.assign(document.createElement('td'), { textContent: cell }));
    return tr;
  });
  table.replaceChildren(caption, head, ...rows);
}

$('review-box').addEventListener('toggle', () => {
  if ($('review-box').open) renderReview().catch((error) => ($('review-result').textContent = error.message));
});
