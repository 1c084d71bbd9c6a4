/**
 * Whether a webhook URL's host matches PARLEY_WEBHOOK_ALLOW: exact hosts (`hooks.example.com`,
 * `127.0.0.1`, optionally `host:port`) or `*.example.com` for any subdomain. Nothing is
 * allowed when the list is empty, so a rule cannot aim at internal services by default.
 */
export function webhookAllowed(url: string, patterns: string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  if (parsed.username || parsed.password) return false;
  const host = parsed.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const hostPort = `${host}:${parsed.port || (parsed.protocol === 'https:' ? '443' : '80')}`;
  return patterns.some((pattern) => {
    if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
    return pattern.includes(':') && !pattern.startsWith('[') && pattern.split(':').length === 2 ? pattern === hostPort : pattern === host;
  });
}
