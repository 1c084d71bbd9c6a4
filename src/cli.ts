#!/usr/bin/env node
import './tracing-register';
import { Command } from 'commander';
import { loadConfig } from './config/config';
import { explainStartupError } from './startup-errors';
import { migrateToLatest } from './database/migrate';
import { openDatabase } from './database/open';
import { registerAlerts } from './cli/alerts.command';
import { registerBackup } from './cli/backup.commands';
import { registerImport } from './cli/import.command';
import { registerNews } from './cli/news.command';
import { registerPanel } from './cli/panel.command';
import { registerReads } from './cli/read.commands';
import { registerAgreement } from './cli/agreement.command';
import { registerReview } from './cli/review.commands';
import { registerBacktest, registerScenarios } from './cli/scenario.commands';
import { registerRebuild } from './cli/rebuild.command';
import { startServer } from './server';

const program = new Command()
  .name('parley')
  .description('Event-sourced tracker of evolving negotiation positions')
  .showHelpAfterError();

program
  .command('serve')
  .description('run the HTTP server (same as npm start)')
  .action(async () => {
    await startServer(loadConfig());
  });

program
  .command('migrate')
  .description('bring the database schema up to date')
  .action(async () => {
    const connection = await openDatabase(loadConfig());
    try {
      const applied = await migrateToLatest(connection.db);
      process.stdout.write(
        applied.length > 0 ? `applied ${applied.length}: ${applied.join(', ')}\n` : 'schema is up to date\n',
      );
    } finally {
      await connection.close();
    }
  });

registerImport(program);
registerNews(program);
registerPanel(program);
registerReads(program);
registerAgreement(program);
registerReview(program);
registerScenarios(program);
registerBacktest(program);
registerRebuild(program);
registerAlerts(program);
registerBackup(program);

program.parseAsync().catch((error: Error) => {
  let config: ReturnType<typeof loadConfig> | undefined;
  try {
    config = loadConfig({ LOG_LEVEL: 'silent', ...process.env });
  } catch {
    config = undefined;
  }
  process.stderr.write(`parley: ${explainStartupError(error, config)}\n`);
  process.exit(1);
});
