import { startTestApp } from '../../support/app';
import { asOfBehaviour } from './as-of.behaviour';

describe('as-of reads over HTTP on PostgreSQL', () => {
  asOfBehaviour(() => startTestApp());
});
