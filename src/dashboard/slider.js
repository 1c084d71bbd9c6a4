// The date slider: its range from the talks themselves, and stepping from event to event.
import { $, requestRefresh } from './dom.js';
import { dayOf, fmtDate, isoDay } from './format.js';
import { STANCE_TYPES } from './event-types.js';
import { store } from './store.js';
import { state } from './url-state.js';

/**
 * The slider spans the talks themselves (from the negotiation's `span`): from two days before
 * the first position to a week after the last, or to today while the talks are live (a position
 * in the last 30 days). It opens on the last day of the story, or today when live.
 */
export function setUpSlider() {
  const today = dayOf(Date.now());
  const span = store.negotiation.span;
  const first = span ? dayOf(Date.parse(span.first)) : today;
  const last = span ? dayOf(Date.parse(span.last)) : today;
  const live = today - last <= 30;
  store.minDay = first - 2;
  store.maxDay = live ? today : Math.min(last + 7, today);
  const slider = $('at');
  slider.min = '0';
  slider.max = String(store.maxDay - store.minDay);
  slider.dataset.minDate = isoDay(store.minDay);
  const chosen = state.at && !store.following ? dayOf(Date.parse(`${state.at}T00:00:00Z`)) : live ? today : last;
  slider.value = String(Math.min(Math.max(chosen - store.minDay, 0), store.maxDay - store.minDay));
  $('known-at').value = state.knownAt;
  $('published').checked = state.published === 'true';
  $('version').value = state.version;
  showAtLabel();
}

export function showAtLabel() {
  const day = store.minDay + Number($('at').value);
  $('at-label').textContent = `${fmtDate(isoDay(day))}${day >= dayOf(Date.now()) ? ' (today)' : ''}`;
}

/** Days on which something was said, tabled or met, from the events loaded. */
export function eventDays() {
  return [...new Set(store.events.filter((e) => !e.negotiation.includes('.') && STANCE_TYPES.has(e.type)).map((e) => dayOf(Date.parse(e.occurredAt))))].sort((x, y) => x - y);
}

export function stepToEvent(direction) {
  const day = store.minDay + Number($('at').value);
  const days = eventDays();
  const target = direction < 0 ? days.filter((d) => d < day).pop() : days.find((d) => d > day);
  if (target === undefined) return;
  $('at').value = String(Math.min(Math.max(target - store.minDay, 0), store.maxDay - store.minDay));
  store.following = false;
  showAtLabel();
  requestRefresh();
}
