// The live feed (SSE), which survives restarts and token expiry.
import { api } from './api.js';
import { $, requestRefresh } from './dom.js';
import { timelineItem } from './panels/timeline.js';
import { setUpSlider } from './slider.js';
import { FEED_TYPES } from './event-types.js';
import { store } from './store.js';
import { negotiationPath, scenarioQuery, state } from './url-state.js';

export async function freshToken() {
  if (!sessionStorage.getItem('parley-key')) return undefined;
  return (await api('/feed/tokens', { method: 'POST' })).token;
}

export function reconnectLater() {
  clearTimeout(store.reconnectTimer);
  const delay = Math.min(1000 * 2 ** store.retries++, 15000);
  store.reconnectTimer = setTimeout(() => connectFeed().catch(reconnectLater), delay);
}

export async function connectFeed() {
  store.source?.close();
  clearTimeout(store.reconnectTimer);
  const head = Math.max(store.lastSeen, ...store.events.map((e) => e.globalPosition), 0);
  // While a branch is shown, its hypothetical events come too (the feed sends them only when asked).
  let url = `/feed?negotiation=${state.n}&after=${head}${scenarioQuery()}`;
  const token = await freshToken();
  if (token) url += `&token=${encodeURIComponent(token)}`;
  const current = new EventSource(url);
  store.source = current;
  current.onopen = () => {
    store.retries = 0;
    $('live').classList.add('on');
  };
  current.onerror = () => {
    $('live').classList.remove('on');
    if (store.source !== current) return;
    current.close();
    reconnectLater();
  };
  const onEvent = (message) => {
    store.lastSeen = Math.max(store.lastSeen, Number(message.lastEventId) || 0);
    const event = JSON.parse(message.data).data;
    if (store.events.some((e) => e.id === event.id)) return;
    store.events.push(event);
    $('timeline').prepend(timelineItem(event, true));
    clearTimeout(store.refreshTimer);
    store.refreshTimer = setTimeout(async () => {
      store.negotiation = await api(negotiationPath());
      setUpSlider();
      await requestRefresh();
    }, 150);
  };
  for (const type of FEED_TYPES) current.addEventListener(type, onEvent);
}
