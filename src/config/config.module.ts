import { Global, Module, type DynamicModule } from '@nestjs/common';
import { CONFIG, type Config } from './config';

/** Makes the config, parsed once at start-up, injectable everywhere as CONFIG. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: Config): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: CONFIG, useValue: config }], exports: [CONFIG] };
  }
}
