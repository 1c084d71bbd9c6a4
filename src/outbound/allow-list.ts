/**
 * Whether a URL's host matches an allow-list (PARLEY_WEBHOOK_ALLOW, PARLEY_FEED_ALLOW): exact
 * hosts (`hooks.example.com`, `127.0.0.1`, optionally `host:port`) or `*.example.com` for any
 * subdomain. Nothing is allowed when the list is empty, so Parley cannot be aimed at internal
 * services by default. Names only: what a name resolves to is checked when connecting
 * (src/outbound/request.ts).
 */
export function hostAllowed(url: string, patterns: string[]): boolean {
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

/**
 * A URL fit to show to someone who is not an admin, or to keep in history: scheme, host and
 * port. Paths and query strings often carry the credential (Slack and Teams hooks, `?token=`).
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const hidden = (parsed.pathname !== '/' && parsed.pathname !== '') || parsed.search !== '' || parsed.hash !== '';
    return `${parsed.protocol}//${parsed.host}/${hidden ? '…' : ''}`;
  } catch {
    return '…';
  }
}
