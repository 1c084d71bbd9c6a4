// The news inbox, and coding an item into a position that cites it.
import { api, headers } from '../api.js';
import { $, requestRefresh } from '../dom.js';
import { fmtDate } from '../format.js';
import { store } from '../store.js';
import { state } from '../url-state.js';

/** The title with its matched terms marked (text nodes only: item text is never HTML). */
export function highlighted(title, terms) {
  const span = document.createElement('span');
  if (terms.length === 0) return Object.assign(span, { textContent: title });
  const pattern = new RegExp(`(${terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`, 'giu');
  for (const part of title.split(pattern)) {
    span.append(terms.some((t) => t.toLowerCase() === part.toLowerCase()) ? Object.assign(document.createElement('mark'), { textContent: part }) : part);
  }
  return span;
}

/** The new items (the dashboard answer's `inbox`), newest first. */
export function renderInbox(items) {
  $('inbox').replaceChildren(
    ...(items.length
      ? items.slice(0, 20).map((item) => {
          const li = Object.assign(document.createElement('li'), { className: 'inbox-item' });
          li.dataset.item = item.id;
          const text = document.createElement('span');
          text.append(highlighted(item.title, item.matchedTerms), ` — ${item.publisher ?? 'unknown publisher'}${item.publishedAt ? `, ${fmtDate(item.publishedAt)}` : ''}`);
          const code = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Code…', className: 'code' });
          code.setAttribute('aria-label', `Code "${item.title}" as a position`);
          code.addEventListener('click', () => openCoding(item));
          const dismiss = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Dismiss…', className: 'dismiss' });
          dismiss.setAttribute('aria-label', `Dismiss "${item.title}" from the inbox`);
          dismiss.addEventListener('click', () => dismissItem(item));
          li.append(text, code, dismiss);
          return li;
        })
      : [Object.assign(document.createElement('li'), { className: 'empty', textContent: 'Nothing waiting: new matching items appear here.' })]),
  );
}

/**
 * Dismisses an item with the analyst's reason (NewsItemDismissed): triage, stored apart from the
 * record, so the negotiation's version and every citation of it stand.
 */
export async function dismissItem(item) {
  const reason = window.prompt(`Why dismiss "${item.title}"?`, 'not about the talks');
  if (!reason) return;
  try {
    await api(`/negotiations/${state.n}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ events: [{ type: 'NewsItemDismissed', occurredAt: new Date().toISOString(), data: { item: item.id, reason } }] }),
    });
    await requestRefresh();
  } catch (error) {
    $('code-result').textContent = error.message;
  }
}

export function openCoding(item) {
  store.codingItem = item;
  const form = $('code-form');
  form.hidden = false;
  $('code-item').textContent = `Coding: ${item.title}`;
  $('code-party').replaceChildren(...store.negotiation.parties.map((p) => new Option(p.name, p.party)));
  $('code-issue').replaceChildren(...store.negotiation.issues.map((i) => new Option(i.title, i.issue)));
  $('code-date').value = (item.publishedAt ?? new Date().toISOString()).slice(0, 10);
  $('code-result').textContent = '';
  $('code-value').focus();
}

$('code-cancel').addEventListener('click', () => {
  $('code-form').hidden = true;
  store.codingItem = null;
});

// One request: a position whose source cites the item (url, publisher and date come from it).
$('code-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  if (!store.codingItem) return;
  const event = {
    type: 'PositionStated',
    occurredAt: `${$('code-date').value}T00:00:00Z`,
    datePrecision: 'day',
    data: { party: $('code-party').value, issue: $('code-issue').value, value: Number($('code-value').value), ...($('code-summary').value ? { summary: $('code-summary').value } : {}) },
    source: { itemId: store.codingItem.id, title: store.codingItem.title },
  };
  try {
    const answer = await api(`/negotiations/${state.n}/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events: [event] }) });
    // While the negotiation requires review a writer's coding is a proposal (202): a reviewer takes it into the record.
    $('code-result').textContent = answer.proposal
      ? 'Sent for review: the position enters the record when a reviewer accepts it.'
      : 'Coded. The item leaves the inbox; the position cites it.';
    store.codingItem = null;
    $('code-form').hidden = true;
    await requestRefresh();
  } catch (error) {
    $('code-result').textContent = error.message;
  }
});
