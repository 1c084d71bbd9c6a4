import { startEmbeddedTestApp } from '../../support/app';
import { asOfBehaviour } from './as-of.behaviour';

describe('as-of reads over HTTP on the embedded database', () => {
  asOfBehaviour(() => startEmbeddedTestApp());
});
