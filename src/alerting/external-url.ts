import type { Config } from '../config/config';

/** How Parley links to itself in webhook payloads and Alertmanager alerts. */
export function externalUrlOf(config: Config): string {
  return (config.PARLEY_PUBLIC_URL ?? `http://${config.host}:${config.PORT}`).replace(/\/$/, '');
}
