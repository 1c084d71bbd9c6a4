import type { Config } from '../config/config';
import { connectPostgres, type DatabaseConnection } from './connection';
import { connectEmbedded } from './embedded';

/** PostgreSQL when DATABASE_URL is set, the embedded one in PARLEY_DATA_DIR otherwise. */
export function openDatabase(config: Config): Promise<DatabaseConnection> {
  if (config.DATABASE_URL) {
    return Promise.resolve(connectPostgres(config.DATABASE_URL, config.PARLEY_POOL_SIZE, { primary: true }));
  }
  return connectEmbedded(config.PARLEY_DATA_DIR);
}
