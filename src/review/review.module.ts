import { Module } from '@nestjs/common';
import { reviewHandlers } from './review.commands';

/** Review of a negotiation's coding: the requirement, proposals, acceptance and rejection. */
@Module({ providers: [...reviewHandlers] })
export class ReviewModule {}
