import { Module } from '@nestjs/common';
import { GetAgreementHandler } from './agreement.query';
import { GetProvenanceHandler } from './provenance.query';
import { reviewHandlers } from './review.commands';

/** Review of a negotiation's coding: the requirement, proposals, acceptance and rejection. */
@Module({ providers: [...reviewHandlers, GetAgreementHandler, GetProvenanceHandler] })
export class ReviewModule {}
