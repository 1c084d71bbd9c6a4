import type { Request } from '../../../src/http/platform';
import { eventRows, jsonStream, wantsCsv } from '../../../src/http/tabular';

const request = (accept?: string) => ({ headers: accept === undefined ? {} : { accept } }) as unknown as Request;

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  let out = '';
  for await (const chunk of stream) out += chunk;
  return out;
}

describe('wantsCsv: CSV when asked for, JSON otherwise', () => {
  it.each([
    [undefined, undefined, false],
    ['application/json', undefined, false],
    ['text/csv', undefined, true],
    ['text/csv, application/json;q=0.5', undefined, true],
    ['application/json, text/csv', undefined, false],
    ['*/*', undefined, false],
    ['application/json', 'csv', true],
    ['text/csv', 'json', false],
  ] as const)('Accept %j, format %j → %j', (accept, format, csv) => {
    expect(wantsCsv(request(accept), format)).toBe(csv);
  });
});

describe('jsonStream: a long answer as JSON, row by row', () => {
  it('writes the head and every row as one JSON document', async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({ i, text: `row "${i}"\n` }));
    const file = jsonStream({ knownAt: '2025-04-24T00:00:00.000Z', publicAt: null }, 'rows', rows);
    const parsed = JSON.parse(await text(file.getStream()));
    expect(parsed).toEqual({ knownAt: '2025-04-24T00:00:00.000Z', publicAt: null, rows });
  });

  it('writes an empty list when there is no row', async () => {
    const file = jsonStream({ knownAt: 'k' }, 'rows', []);
    expect(JSON.parse(await text(file.getStream()))).toEqual({ knownAt: 'k', rows: [] });
  });
});

describe('eventRows: events as CSV records', () => {
  it('puts data and source into their cells as JSON text, and no source as an empty cell', () => {
    const rows = [...eventRows([{ data: { party: 'us', value: 70 }, source: { publisher: 'Reuters' } }, { data: {}, source: null }])];
    expect(rows).toEqual([
      { data: '{"party":"us","value":70}', source: '{"publisher":"Reuters"}' },
      { data: '{}', source: null },
    ]);
  });
});
