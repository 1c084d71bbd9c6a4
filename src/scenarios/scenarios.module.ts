import { Module } from '@nestjs/common';
import { GetScenarioDiffHandler } from './scenario-diff.query';
import { scenarioHandlers } from './scenarios.commands';

/** Scenario branches: opened on the record, hypothetical events, rebase, close, and the diff read. */
@Module({ providers: [...scenarioHandlers, GetScenarioDiffHandler] })
export class ScenariosModule {}
