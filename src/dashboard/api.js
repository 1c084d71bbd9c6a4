// The API: the key from the page's session, Retry-After honoured for reads, errors as one sentence.
import { $, setStatus } from './dom.js';

export function headers() {
  const key = sessionStorage.getItem('parley-key');
  return key ? { authorization: `Bearer ${key}` } : {};
}

/** Waits as the server asks (Retry-After, in seconds), within reason. */
export const pause = (response) => new Promise((resolve) => setTimeout(resolve, Math.min(Number(response.headers.get('retry-after')) || 1, 30) * 1000));

export async function api(path, init = {}, attempt = 1) {
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
