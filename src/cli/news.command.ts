import { readFileSync } from 'node:fs';
import { CommandBus } from '@nestjs/cqrs';
import type { Command } from 'commander';
import { negotiationIdSchema } from '../negotiation/domain/requests';
import { feedItems } from '../news/feed-parsing';
import { newsItemInputSchema, type NewsItemInput } from '../news/news-events';
import { ReceiveNews } from '../news/news.commands';
import { callRemote, closeTarget, openTarget, serverError } from './context';

/** A JSON Feed document is one JSON object with `items`; NDJSON is one object per line. */
const isJsonFeed = (text: string) => {
  try {
    const value = JSON.parse(text) as { items?: unknown };
    return Array.isArray(value.items);
  } catch {
    return false;
  }
};

/** The items of a file: a saved feed (RSS, Atom, JSON Feed), or NDJSON with one item per line. */
function itemsOf(text: string): { items: NewsItemInput[]; problems: string[]; notes: string[] } {
  if (!text.trimStart().startsWith('{') || isJsonFeed(text)) {
    const { items, notes } = feedItems(text);
    return { items: items.map(({ originalLengths: _, ...item }) => item), problems: [], notes };
  }
  const items: NewsItemInput[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      problems.push(`line ${index + 1}: not JSON (${(error as Error).message})`);
      return;
    }
    const parsed = newsItemInputSchema.safeParse(value);
    if (parsed.success) items.push(parsed.data);
    else problems.push(...parsed.error.issues.map((i) => `line ${index + 1}: ${i.path.join('.') || '(item)'}: ${i.message}`));
  });
  return { items, problems, notes: [] };
}

const BATCH = 1000;

export function registerNews(program: Command): void {
  const news = program.command('news').description('news items: push a saved feed or an NDJSON of items into a negotiation');
  news
    .command('import')
    .description('store the items of a saved feed (RSS, Atom, JSON Feed) or an NDJSON file, each once')
    .argument('<file>', 'a feed document, or NDJSON with one {guid?, url?, title, publisher?, publishedAt?, summary?} per line')
    .requiredOption('-n, --negotiation <nid>', 'negotiation id (slug)')
    .action(async (file: string, options: { negotiation: string }) => {
      const negotiation = negotiationIdSchema.safeParse(options.negotiation);
      if (!negotiation.success) throw new Error(`--negotiation: ${negotiation.error.issues[0]!.message}`);
      const { items, problems, notes } = itemsOf(readFileSync(file, 'utf8'));
      // Trimmed text, dates set aside, items refused: said, not silent (the rest is stored).
      for (const note of notes) process.stderr.write(`${file}: ${note}\n`);
      if (problems.length > 0) {
        for (const problem of problems) process.stderr.write(`${file}: ${problem}\n`);
        process.stdout.write(`${negotiation.data}: nothing stored (${problems.length} problem(s))\n`);
        process.exitCode = 1;
        return;
      }
      const target = await openTarget();
      let appended = 0;
      let matched = 0;
      try {
        for (let i = 0; i < items.length; i += BATCH) {
          const batch = items.slice(i, i + BATCH);
          const answer =
            target.kind === 'local'
              ? await target.app.get(CommandBus).execute(new ReceiveNews(negotiation.data, batch))
              : await remote(target, negotiation.data, batch);
          appended += answer.appended;
          matched += answer.items.filter((item) => item.matched).length;
        }
      } finally {
        await closeTarget(target);
      }
      process.stdout.write(`${negotiation.data}: ${items.length} item(s), ${appended} new, ${matched} matching the watch terms\n`);
    });
}

async function remote(target: Parameters<typeof callRemote>[0], negotiation: string, items: NewsItemInput[]) {
  const { status, body } = await callRemote(target, `/negotiations/${negotiation}/news`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ items }),
  });
  if (status >= 300) throw serverError(status, body);
  return body as unknown as { appended: number; items: { matched: boolean }[] };
}
