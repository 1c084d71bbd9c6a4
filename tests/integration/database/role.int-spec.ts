import { connectPostgres } from '../../../src/database/connection';
import { isDatabaseUnavailable } from '../../../src/database/errors';
import { serverRole } from '../../../src/database/role';
import { createEmbeddedTestDatabase } from '../../support/embedded';
import { standbyOf, throwawayCluster, type Cluster } from '../../support/throwaway-cluster';

describe('which server a connection reached', () => {
  let primary: Cluster;
  let standby: Cluster;
  beforeAll(async () => {
    primary = await throwawayCluster();
    standby = await standbyOf(primary);
  });
  afterAll(() => {
    standby?.destroy();
    primary?.destroy();
  });

  it('tells a writable primary (its address, port and timeline) from a standby', async () => {
    const onPrimary = connectPostgres(primary.url, 1);
    const onStandby = connectPostgres(standby.url, 1);
    try {
      expect(await serverRole(onPrimary.db)).toEqual({ writable: true, host: '127.0.0.1', port: primary.port, timeline: 1 });
      expect(await serverRole(onStandby.db)).toEqual({ writable: false, host: '127.0.0.1', port: standby.port, timeline: null });
    } finally {
      await onPrimary.close();
      await onStandby.close();
    }
  });

  it("a primary's pool refuses a standby's connections as an unavailable database, for queries, LISTEN and locks alike", async () => {
    const wrong = connectPostgres(standby.url, 2, { primary: true });
    try {
      const refusals = await Promise.all([
        serverRole(wrong.db).catch((error: unknown) => error),
        wrong.listen('anything', () => undefined).catch((error: unknown) => error),
        wrong.tryLock('anything').catch((error: unknown) => error),
      ]);
      for (const refusal of refusals) {
        expect(refusal).toBeInstanceOf(Error);
        expect(isDatabaseUnavailable(refusal)).toBe(true);
        expect((refusal as Error).message).toMatch(/standby/);
      }
    } finally {
      await wrong.close();
    }
  });

  it('the embedded database is a writable primary with no address', async () => {
    const embedded = await createEmbeddedTestDatabase();
    try {
      const role = await serverRole(embedded.connection.db);
      expect(role).toMatchObject({ writable: true, host: null, port: null });
      expect(role.timeline).toBe(1);
    } finally {
      await embedded.drop();
    }
  });
});
