import { DomainError } from '../shared/domain-error';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { addressListed, isInternalAddress } from './addresses';
import { hostAllowed } from './allow-list';

export interface OutboundOptions {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** Answers larger than this are cut off with an error. */
  maxBytes?: number;
  /** Host patterns the URL must match (names), and the only internal addresses it may reach. */
  allow: string[];
}

export interface OutboundAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export class OutboundRefused extends DomainError {
  readonly code = 'OUTBOUND.REFUSED';
}

/**
 * Checks every address a name resolves to, when connecting: an allowed name that resolves to a
 * loopback or private address (DNS rebinding, a misconfigured record) is refused unless the
 * allow-list names that address itself. Checked at connect time, so the address used is the
 * address checked.
 */
function guardedLookup(allow: string[]): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const refused = addresses.find((a) => isInternalAddress(a.address) && !addressListed(a.address, allow));
      if (refused) {
        return callback(new OutboundRefused(`${hostname} resolves to ${refused.address}, an internal address the allow-list does not name`), '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      return callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/**
 * One HTTP request to a host outside Parley (webhooks, Alertmanager, news feeds): the allow-list
 * checked on the name and, at connect time, on the address; no redirects followed; a timeout
 * for the whole exchange and a cap on the answer's size.
 */
export function outboundRequest(url: string, options: OutboundOptions): Promise<OutboundAnswer> {
  if (!hostAllowed(url, options.allow)) return Promise.reject(new OutboundRefused(`${new URL(url).host} is not in the allow-list`));
  const target = new URL(url);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && isInternalAddress(host) && !addressListed(host, options.allow)) {
    return Promise.reject(new OutboundRefused(`${host} is an internal address the allow-list does not name`));
  }
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      target,
      { method: options.method ?? 'GET', headers: options.headers, lookup: guardedLookup(options.allow), timeout: options.timeoutMs },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (options.maxBytes !== undefined && size > options.maxBytes) {
            request.destroy(new OutboundRefused(`the answer is larger than ${options.maxBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
        response.on('error', reject);
      },
    );
    const deadline = setTimeout(() => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)), options.timeoutMs);
    request.on('close', () => clearTimeout(deadline));
    request.on('timeout', () => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    request.on('error', reject);
    request.end(options.body);
  });
}
