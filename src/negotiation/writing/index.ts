import { AppendEventsHandler } from './append-events.command';
import { ImportEventsHandler } from './import-events.command';

export const commandHandlers = [AppendEventsHandler, ImportEventsHandler];
