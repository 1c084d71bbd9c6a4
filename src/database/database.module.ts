import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { CONFIG, type Config } from '../config/config';
import type { DatabaseConnection } from './connection';
import { migrateToLatest } from './migrate';
import { openDatabase } from './open';

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
  ],
  exports: [DATABASE],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DATABASE) private readonly connection: DatabaseConnection) {}

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}
