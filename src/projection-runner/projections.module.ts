import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { Projection } from './projection';
import { PROJECTIONS, ProjectionsService } from './projections.service';

@Global()
@Module({})
export class ProjectionsModule {
  /** `projections`: every read model the runner keeps, from the contexts that own them. */
  static forRoot(projections: readonly Projection[]): DynamicModule {
    return {
      module: ProjectionsModule,
      providers: [{ provide: PROJECTIONS, useValue: projections }, ProjectionsService],
      exports: [ProjectionsService],
    };
  }
}
