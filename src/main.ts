import './tracing-register';
import { loadConfig, type Config } from './config/config';
import { explainStartupError } from './startup-errors';
import { startServer } from './server';

// Expected failures (a bad variable, a taken port, a database that does not answer) are one
// line naming what to fix, never a stack trace.
let config: Config | undefined;
Promise.resolve()
  .then(() => startServer((config = loadConfig())))
  .catch((error: Error) => {
    process.stderr.write(`parley: ${explainStartupError(error, config)}\n`);
    process.exit(1);
  });
