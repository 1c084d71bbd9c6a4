// DOM helpers: an element by id, and the status line.
export const $ = (id) => document.getElementById(id);

export function setStatus(text, error = false) {
  $('status').textContent = text;
  $('status').classList.toggle('error', error);
}

/**
 * Asks the page to read everything again (main.js listens): modules that change what is shown
 * (the slider, the live feed, coding an item) ask for it rather than import the page's entry.
 * Resolves once the refresh is done.
 */
export function requestRefresh() {
  return new Promise((resolve) => document.dispatchEvent(new CustomEvent('parley:refresh', { detail: { done: resolve } })));
}
