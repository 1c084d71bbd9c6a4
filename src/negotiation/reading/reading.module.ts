import { Module } from '@nestjs/common';
import { queryHandlers } from '.';
import { ReadModel } from './read-model';

@Module({ providers: [ReadModel, ...queryHandlers], exports: [ReadModel] })
export class ReadingModule {}
