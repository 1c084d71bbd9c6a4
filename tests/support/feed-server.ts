import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Route = (req: IncomingMessage, res: ServerResponse) => void;

/** A feed server on loopback: each path answers from a route the test can change between polls. */
export async function startFeedServer(): Promise<{ url: string; routes: Map<string, Route>; requests: { path: string; headers: IncomingMessage['headers'] }[]; close(): Promise<void> }> {
  const routes = new Map<string, Route>();
  const requests: { path: string; headers: IncomingMessage['headers'] }[] = [];
  const server = createServer((req, res) => {
    requests.push({ path: req.url ?? '', headers: req.headers });
    const route = routes.get(req.url ?? '');
    if (route) route(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    routes,
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export const rss = (items: { guid: string; title: string; date?: string; description?: string }[]) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>http://wire.example/</link><description>d</description>${items
    .map((i) => `<item><guid>${i.guid}</guid><title>${i.title}</title><link>http://wire.example/${i.guid}</link>${i.date ? `<pubDate>${i.date}</pubDate>` : ''}${i.description ? `<description>${i.description}</description>` : ''}</item>`)
    .join('')}</channel></rss>`;

export const atom = (entries: { id: string; title: string; updated: string }[]) =>
  `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Wire</title><id>urn:wire</id><updated>2025-04-20T00:00:00Z</updated>${entries
    .map((e) => `<entry><id>${e.id}</id><title>${e.title}</title><link href="http://atom.example/${encodeURIComponent(e.id)}"/><updated>${e.updated}</updated></entry>`)
    .join('')}</feed>`;

export const jsonFeed = (items: { id: string; title: string; date: string }[]) =>
  JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'JSON Wire', items: items.map((i) => ({ id: i.id, url: `http://json.example/${i.id}`, title: i.title, date_published: i.date })) });

/** Answers a feed with an ETag and honours If-None-Match with 304. */
export const withEtag =
  (body: () => string, contentType = 'application/rss+xml'): Route =>
  (req, res) => {
    const tag = `"${createHash('sha1').update(body()).digest('hex')}"`;
    if (req.headers['if-none-match'] === tag) return void res.writeHead(304).end();
    res.writeHead(200, { 'content-type': contentType, etag: tag }).end(body());
  };
