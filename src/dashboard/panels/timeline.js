// The timeline: the newest page of events, older pages on request, corrections shown against what they amend.
import { api } from '../api.js';
import { $ } from '../dom.js';
import { fmt, fmtDate } from '../format.js';
import { issueTitle, partyName } from '../names.js';
import { store } from '../store.js';
import { state } from '../url-state.js';

/** The newest events only (one page): a long negotiation never loads its whole log here. */
export const EVENTS_SHOWN = 200;

/** The page of events just before position `before`; remembers where the older page starts. */
export async function eventsBefore(n, before) {
  const page = await api(`/negotiations/${n}/events?before=${before}&limit=${EVENTS_SHOWN}`);
  store.olderBefore = page.previous ?? null;
  return page.events;
}

export function latestEvents(n) {
  return eventsBefore(n, Number.MAX_SAFE_INTEGER);
}

/** The page of events before the oldest shown ("Older events"). */
export async function olderEvents() {
  if (store.olderBefore === null) return;
  store.events = [...(await eventsBefore(state.n, store.olderBefore)), ...store.events];
  renderTimeline();
}

export function describe(event) {
  const d = event.data ?? {};
  if (d.party && d.issue && d.value !== undefined) return `${partyName(d.party)} on ${issueTitle(d.issue)}: ${fmt(d.value)}${d.summary ? ` — ${d.summary}` : ''}`;
  if (d.party && d.issue && d.acceptable) {
    const { min, max } = d.acceptable;
    const range = min !== undefined && max !== undefined ? `${fmt(min)}–${fmt(max)}` : min !== undefined ? `at least ${fmt(min)}` : `at most ${fmt(max)}`;
    return `${partyName(d.party)}'s red line on ${issueTitle(d.issue)}: acceptable ${range}${d.summary ? ` — ${d.summary}` : ''}`;
  }
  if (d.sponsors) return `${d.title} (${d.sponsors.map(partyName).join(', ')}${d.venue ? `, ${d.venue}` : ''})`;
  // A participant the source does not place there is the coder's inference: marked as such.
  const inferred = new Set(d.inferred ?? []);
  if (d.participants) return `${d.participants.map((p) => (inferred.has(p) ? `${partyName(p)} (inferred)` : partyName(p))).join(', ')}${d.place ? ` in ${d.place}` : ''}${d.summary ? ` — ${d.summary}` : ''}`;
  if (d.summary) return d.summary;
  return d.reason ?? d.title ?? d.name ?? d.issue ?? '';
}

export function timelineItem(event, fresh = false) {
  const li = document.createElement('li');
  li.dataset.id = event.id;
  if (fresh) li.className = 'new';
  // A scenario's own event (the feed sends them only while the branch is shown): marked as such.
  if (event.negotiation?.includes('.scenario.')) {
    li.classList.add('hypothetical');
    li.append(Object.assign(document.createElement('span'), { className: 'hypothetical-mark', textContent: '◇ hypothetical' }), ' ');
  }
  li.append(Object.assign(document.createElement('span'), { className: 'type', textContent: event.type }), ' ');
  li.append(Object.assign(document.createElement('span'), { className: 'when', textContent: fmtDate(event.occurredAt) }), document.createElement('br'));
  li.append(describe(event));
  if (event.type === 'EventCorrected' || event.type === 'EventRetracted') {
    // What it changed, when that event is among those loaded.
    const target = store.events.find((e) => e.id === event.data?.target);
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

export function renderTimeline() {
  const sorted = [...store.events].sort((x, y) => y.globalPosition - x.globalPosition);
  $('timeline').replaceChildren(...sorted.map((e) => timelineItem(e)));
  $('older').hidden = store.olderBefore === null;
}
