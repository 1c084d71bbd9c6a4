import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import type { Config } from './config/config';

/** Builds the HTTP application; main.ts, the CLI's `serve` and e2e tests all start it here. */
export async function createServer(config: Config): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  return app;
}

export async function startServer(config: Config): Promise<NestExpressApplication> {
  const app = await createServer(config);
  await app.listen(config.PORT, config.host);
  const logger = app.get(Logger);
  const url = await app.getUrl();
  logger.log(
    {
      url,
      database: config.DATABASE_URL ? 'postgres' : `embedded (${config.PARLEY_DATA_DIR})`,
      auth: config.PARLEY_API_KEYS.length > 0 ? 'api keys' : 'none: listening on loopback only',
    },
    `Parley listening on ${url}`,
  );
  return app;
}
