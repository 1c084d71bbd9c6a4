import { Module } from '@nestjs/common';
import { queryHandlers } from '.';

@Module({ providers: [...queryHandlers] })
export class ReadingModule {}
