import type { PortRange } from '@app/config';

export interface UrlRulesSettings {
  /** Plain http lets anyone on the path read and change the event; development only. */
  readonly allowHttp: boolean;
  /** Kept equal to the ports the chart's NetworkPolicy lets webhooks out on. */
  readonly allowedPorts: readonly PortRange[];
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443 };

/** Why a webhook URL's scheme or port is refused, or undefined when both are allowed. */
export function urlRefusal(url: URL, settings: UrlRulesSettings): string | undefined {
  const defaultPort = DEFAULT_PORTS[url.protocol];
  if (defaultPort === undefined || (url.protocol === 'http:' && !settings.allowHttp)) {
    return settings.allowHttp ? 'must start with http:// or https://' : 'must start with https://';
  }
  const port = url.port === '' ? defaultPort : Number(url.port);
  if (!settings.allowedPorts.some((range) => port >= range.from && port <= range.to)) {
    return `must use an allowed port (${settings.allowedPorts.map(describeRange).join(', ')}), not ${port}`;
  }
  return undefined;
}

function describeRange({ from, to }: PortRange): string {
  return from === to ? String(from) : `${from}-${to}`;
}
