import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../../src/config/config';

describe('loadConfig: the environment, parsed once', () => {
  it('gives every default a newcomer relies on', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      host: '127.0.0.1',
      PARLEY_DATA_DIR: './data',
      PARLEY_LOAD_EXAMPLE: 'auto',
      PARLEY_RATE_LIMIT: 0,
      PARLEY_RATE_LIMIT_WRITERS: 0,
      PARLEY_AUTH_FAILURE_LIMIT: 20,
      PARLEY_PANEL_MAX_CELLS: 1_000_000,
      PARLEY_NEWS_MAX_ITEMS_PER_POLL: 500,
      PARLEY_NEWS_MAX_ITEMS_PER_HOUR: 5000,
      PARLEY_NEWS_MIN_INTERVAL_MS: 60_000,
      PARLEY_API_KEYS: [],
    });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('listens on every interface only once keys are set', () => {
    expect(loadConfig({ PARLEY_API_KEYS: 'reader:abcdefgh' }).host).toBe('0.0.0.0');
    expect(loadConfig({ PARLEY_API_KEYS: 'reader:abcdefgh', HOST: '127.0.0.2' }).host).toBe('127.0.0.2');
  });

  it('reads keys as role:key pairs, a colon inside a key kept', () => {
    expect(loadConfig({ PARLEY_API_KEYS: 'reader:abcdefgh, admin:ab:cd:ef:gh' }).PARLEY_API_KEYS).toEqual([
      { role: 'reader', key: 'abcdefgh' },
      { role: 'admin', key: 'ab:cd:ef:gh' },
    ]);
  });

  it('reads role:name:key as a key that names its holder, and keeps role:key working beside it', () => {
    expect(loadConfig({ PARLEY_API_KEYS: 'writer:alice:alice-key-1, writer:plain-key-1, admin:ab:cd:ef:gh, reader:9lives:abcdefgh' }).PARLEY_API_KEYS).toEqual([
      { role: 'writer', key: 'alice-key-1', name: 'alice' },
      { role: 'writer', key: 'plain-key-1' },
      // Not exactly three parts, or no name in the middle: a key with colons, as before.
      { role: 'admin', key: 'ab:cd:ef:gh' },
      { role: 'reader', key: '9lives:abcdefgh' },
    ]);
  });

  it('reads secrets from <NAME>_FILE (Docker and Kubernetes secrets), without the trailing newline', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-secrets-'));
    writeFileSync(join(dir, 'keys'), 'writer:alice:alice-key-0001\n');
    writeFileSync(join(dir, 'url'), 'postgres://parley:s3cret@db:5432/parley\n');
    const config = loadConfig({ PARLEY_API_KEYS_FILE: join(dir, 'keys'), DATABASE_URL_FILE: join(dir, 'url') });
    expect(config.PARLEY_API_KEYS).toEqual([{ role: 'writer', key: 'alice-key-0001', name: 'alice' }]);
    expect(config.DATABASE_URL).toBe('postgres://parley:s3cret@db:5432/parley');
    expect(() => loadConfig({ PARLEY_API_KEYS: 'reader:abcdefgh', PARLEY_API_KEYS_FILE: join(dir, 'keys') })).toThrow(/PARLEY_API_KEYS and PARLEY_API_KEYS_FILE are both set/);
    expect(() => loadConfig({ DATABASE_URL_FILE: join(dir, 'missing') })).toThrow(/DATABASE_URL_FILE: cannot read .*missing \(ENOENT\)/);
  });

  it('takes an empty variable as unset, as shells and compose files write it', () => {
    const config = loadConfig({ DATABASE_URL: '', PORT: '' });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.PORT).toBe(3000);
  });

  it.each([
    [{ PORT: '70000' }, /PORT/],
    [{ DATABASE_URL: 'mysql://x@y/z' }, /DATABASE_URL/],
    [{ PARLEY_API_KEYS: 'root:abcdefgh' }, /PARLEY_API_KEYS: expected "role:key" or "role:name:key" with role reader\|writer\|admin/],
    [{ PARLEY_API_KEYS: 'reader:short' }, /at least 8 characters/],
    [{ PARLEY_METRICS_PUBLIC: 'perhaps' }, /PARLEY_METRICS_PUBLIC: expected 1\/0, true\/false/],
    [{ PARLEY_PANEL_MAX_CELLS: '0' }, /PARLEY_PANEL_MAX_CELLS/],
    [{ PARLEY_NEWS_MIN_INTERVAL_MS: '10' }, /PARLEY_NEWS_MIN_INTERVAL_MS/],
    [{ PARLEY_POOL_SIZE: '1' }, /PARLEY_POOL_SIZE/],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
