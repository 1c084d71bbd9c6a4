import { loadConfig } from './config/config';
import { startServer } from './server';

// Expected failures (a bad variable, a taken port, a database that does not answer) are one
// line naming what to fix, never a stack trace.
Promise.resolve()
  .then(() => startServer(loadConfig()))
  .catch((error: Error) => {
    process.stderr.write(`parley: ${error.message}\n`);
    process.exit(1);
  });
