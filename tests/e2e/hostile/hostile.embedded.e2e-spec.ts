import { startEmbeddedTestApp } from '../../support/app';
import { hostileBehaviour } from './hostile.behaviour';

describe('hostile input and poisoned history on the embedded database', () => {
  hostileBehaviour(() => startEmbeddedTestApp({ PARLEY_API_KEYS: '' }));
});
