import { loadConfig } from './config/config';
import { startServer } from './server';

startServer(loadConfig()).catch((error: Error) => {
  process.stderr.write(`parley: ${error.message}\n`);
  process.exit(1);
});
