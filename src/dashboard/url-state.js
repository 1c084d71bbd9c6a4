// What the page shows, kept in the URL (negotiation, date, known-at, pair, cell) so a link reopens it.
export const params = new URLSearchParams(location.search);

export const state = {
  n: params.get('n') ?? '',
  at: params.get('at') ?? '',
  knownAt: params.get('knownAt') ?? '',
  a: params.get('a') ?? '',
  b: params.get('b') ?? '',
  cell: params.get('cell') ?? '',
  scenario: params.get('scenario') ?? '',
  /** 'true': every panel as public on the chosen day (the dashboard route's `published`). */
  published: params.get('published') ?? '',
  /** A cited version: the record read at events 1..version (empty: the latest). */
  version: params.get('version') ?? '',
};

export function saveState() {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(state)) if (value) query.set(key, value);
  history.replaceState(null, '', `${location.pathname}?${query}`);
}

export const knownAtQuery = () => (state.knownAt ? `&knownAt=${encodeURIComponent(new Date(state.knownAt).toISOString())}` : '');

/** `&version=<n>` while a cited version is shown, else nothing. */
export const versionQuery = () => (state.version ? `&version=${encodeURIComponent(state.version)}` : '');

/** The negotiation's details as the page shows them: at its knownAt, branch and cited version. */
export const negotiationPath = () => `/negotiations/${state.n}?${knownAtQuery().slice(1)}${scenarioQuery()}${versionQuery()}`;

/** `&scenario=<name>` while a branch is shown, else nothing: every as-of read adds it. */
export const scenarioQuery = () => (state.scenario ? `&scenario=${encodeURIComponent(state.scenario)}` : '');
