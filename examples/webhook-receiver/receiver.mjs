// A receiver for Parley's alert webhooks that checks every delivery the Standard Webhooks way
// (https://www.standardwebhooks.com), with the spec's own library:
//
//   PARLEY_WEBHOOK_SECRET='the secret you gave the rule' PORT=8080 node examples/webhook-receiver/receiver.mjs
//
// - `webhook-signature` is an HMAC-SHA256 over `webhook-id.webhook-timestamp.body`, keyed with
//   the rule's secret: a tampered body or a forged sender is refused (401).
// - `webhook-timestamp` must be within five minutes of now: a captured delivery replayed later
//   is refused (401), even with a valid signature.
// - Parley retries until it gets a 2xx, every attempt with the same `webhook-id`: act once per id.
// Each verified delivery is one JSON line on stdout. Put your own handling where it says so.
import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';

const secret = process.env.PARLEY_WEBHOOK_SECRET;
if (!secret) {
  console.error('receiver: set PARLEY_WEBHOOK_SECRET to the secret of the alert rule (its webhook.secret)');
  process.exit(1);
}
// Standard Webhooks keys are base64 with a whsec_ prefix; Parley's rule secret is the raw key.
const webhook = new Webhook(`whsec_${Buffer.from(secret).toString('base64')}`);
const handled = new Set();

const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const headers = Object.fromEntries(['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((name) => [name, String(request.headers[name] ?? '')]));
    let payload;
    try {
      payload = webhook.verify(body, headers);
    } catch (error) {
      console.log(JSON.stringify({ refused: headers['webhook-id'] || null, reason: error.message }));
      response.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_signature', message: error.message }));
      return;
    }
    const id = headers['webhook-id'];
    if (!handled.has(id)) {
      handled.add(id);
      // Your handling goes here: page someone, post to a channel, open a ticket…
      console.log(JSON.stringify({ received: id, status: payload.status, alerts: payload.alerts.map((a) => a.annotations?.summary ?? a.labels.alertname), traceparent: request.headers.traceparent ?? null }));
    }
    response.writeHead(204).end();
  });
});

server.listen(Number(process.env.PORT ?? 8080), process.env.HOST ?? '127.0.0.1', () => {
  console.log(JSON.stringify({ listening: `http://${process.env.HOST ?? '127.0.0.1'}:${server.address().port}` }));
});
