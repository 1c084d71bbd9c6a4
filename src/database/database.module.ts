import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { CONFIG, type Config } from '../config/config';
import type { DatabaseConnection } from './connection';
import { migrateToLatest } from './migrate';
import { openDatabase } from './open';
import { REPLICAS, Replicas } from './replicas';

export const DATABASE = Symbol('DATABASE');

/** Opens the database (PostgreSQL or embedded) and migrates it before anything else runs. */
@Global()
@Module({
  providers: [
    {
      provide: DATABASE,
      inject: [CONFIG],
      useFactory: async (config: Config): Promise<DatabaseConnection> => {
        const connection = await openDatabase(config);
        try {
          await migrateToLatest(connection.db);
        } catch (error) {
          await connection.close();
          throw error;
        }
        return connection;
      },
    },
    {
      provide: REPLICAS,
      inject: [CONFIG],
      // Standbys are read-only and replicate the primary's schema: nothing to migrate there.
      useFactory: (config: Config) => Replicas.connect(config.DATABASE_REPLICA_URLS, config.PARLEY_POOL_SIZE),
    },
  ],
  exports: [DATABASE, REPLICAS],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(
    @Inject(DATABASE) private readonly connection: DatabaseConnection,
    @Inject(REPLICAS) private readonly replicas: Replicas,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.replicas.close();
    await this.connection.close();
  }
}
