import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_TABLE } from '../../../src/http/error-table';

/** Every code an error class declares, read from the source itself. */
function declaredCodes(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return declaredCodes(path);
    if (!name.endsWith('.ts')) return [];
    return [...readFileSync(path, 'utf8').matchAll(/readonly code = '([A-Z_.]+)'/g)].map((m) => m[1]!);
  });
}

// Failures of start-up, configuration and outbound calls: never an HTTP answer.
const NOT_HTTP = new Set(['CONFIG.INVALID', 'DATABASE.DATA_DIR_LOCKED', 'DATABASE.MIGRATION_FAILED', 'OUTBOUND.REFUSED']);

describe('the error table', () => {
  it('gives every domain error code an answer', () => {
    const codes = declaredCodes(join(__dirname, '../../../src')).filter((code) => !NOT_HTTP.has(code));
    expect(codes.length).toBeGreaterThan(10);
    expect(codes.filter((code) => !(code in ERROR_TABLE))).toEqual([]);
  });

  it('answers with the contract’s bodies', () => {
    const violation = ERROR_TABLE['NEGOTIATION.RULE_VIOLATION']!({ code: 'NEGOTIATION.RULE_VIOLATION', issues: [{ path: ['events', 0], message: 'x' }] } as never);
    expect(violation).toEqual({ status: 422, body: { error: 'rule_violation', issues: [{ path: ['events', 0], message: 'x' }] } });
    const conflict = ERROR_TABLE['EVENT_STORE.VERSION_CONFLICT']!({ expected: 2, actual: 3 } as never);
    expect(conflict).toEqual({ status: 409, body: { error: 'version_conflict', expected: 2, actual: 3 } });
  });
});
