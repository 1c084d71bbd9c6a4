// Days and numbers as the page shows them (UTC days, one decimal).
export const DAY = 86_400_000;

export const dayOf = (time) => Math.floor(time / DAY);

export const isoDay = (day) => new Date(day * DAY).toISOString().slice(0, 10);

export const fmtDate = (iso) => new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

export const fmt = (v) => (v === null || v === undefined ? '–' : String(Math.round(v * 10) / 10));
