import { IMPORT_NAMESPACE, parseNdjson } from '../../../src/negotiation/writing/ndjson';
import { InvalidRequest } from '../../../src/shared/domain-error';
import { v5 as uuidv5 } from 'uuid';

const line = (extra: Record<string, unknown> = {}) => JSON.stringify({ type: 'NegotiationOpened', occurredAt: '2025-04-01T00:00:00Z', data: { title: 'T' }, ...extra });

describe('parseNdjson', () => {
  it('reads one event a line, skips blank lines, and names each line', async () => {
    const parsed = await parseNdjson(`${line()}\n\n  \r\n${line({ occurredAt: '2025-04-02T00:00:00Z' })}\n`, 'talks');
    expect(parsed.map((p) => p.line)).toEqual([1, 4]);
    expect(parsed[1]!.event.occurredAt).toEqual(new Date('2025-04-02T00:00:00Z'));
  });

  it('gives a line without an id the UUIDv5 of (negotiation, line), so a file imported twice appends nothing', async () => {
    const [first] = await parseNdjson(line(), 'talks');
    expect(first!.event.id).toBe(uuidv5(`talks\n${line()}`, IMPORT_NAMESPACE));
    expect((await parseNdjson(line(), 'talks'))[0]!.event.id).toBe(first!.event.id);
    expect((await parseNdjson(line(), 'other'))[0]!.event.id).not.toBe(first!.event.id);
    const id = '0195d3a0-0000-7000-8000-000000000001';
    expect((await parseNdjson(line({ id }), 'talks'))[0]!.event.id).toBe(id);
  });

  it('refuses the whole file with every bad line named, and a file with no event', async () => {
    const text = [line(), '{not json', line({ occurredAt: 'yesterday' }), line()].join('\n');
    const error = await parseNdjson(text, 'talks').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequest);
    const issues = (error as InvalidRequest).issues;
    expect([...new Set(issues.map((i) => i.line))]).toEqual([2, 3]);
    expect(issues[0]!.message).toMatch(/^Not valid JSON/);
    expect(issues.filter((i) => i.line === 3).every((i) => i.path[0] === 'occurredAt')).toBe(true);
    await expect(parseNdjson('\n\n', 'talks')).rejects.toThrow('The file holds no events');
  });

  it('reports progress line by line', async () => {
    const seen: number[] = [];
    await parseNdjson(`${line()}\n${line({ occurredAt: '2025-04-03T00:00:00Z' })}`, 'talks', (n, total) => seen.push(n / total));
    expect(seen).toEqual([0.5, 1]);
  });
});
