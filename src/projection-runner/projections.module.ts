import { Global, Module, type DynamicModule, type Type } from '@nestjs/common';
import { BATCH_CONSUMERS, type BatchConsumer } from './batch-consumer';
import type { Projection } from './projection';
import { PROJECTIONS, ProjectionsService } from './projections.service';
import { ReadGate } from './read-gate';

@Global()
@Module({})
export class ProjectionsModule {
  /**
   * `projections`: every read model the runner keeps, from the contexts that own them;
   * `consumers`: the work that follows its batches (alert evaluation, metrics), in order.
   * Consumers are built here, from providers every module can see (config, store, metrics).
   */
  static forRoot({ projections, consumers }: { projections: readonly Projection[]; consumers: readonly Type<BatchConsumer>[] }): DynamicModule {
    return {
      module: ProjectionsModule,
      providers: [
        { provide: PROJECTIONS, useValue: projections },
        ...consumers,
        { provide: BATCH_CONSUMERS, inject: [...consumers], useFactory: (...built: BatchConsumer[]) => built },
        ProjectionsService,
        ReadGate,
      ],
      exports: [ProjectionsService, ReadGate],
    };
  }
}
