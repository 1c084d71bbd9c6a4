import ipaddr from 'ipaddr.js';

/**
 * Whether an address is internal (loopback, private, link-local, unique-local, carrier-grade
 * NAT, multicast, unspecified, reserved): anything but plain public unicast. IPv4-mapped IPv6
 * addresses are judged as the IPv4 address they carry.
 */
export function isInternalAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return true;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() !== 'unicast';
}

/** The host part of an allow-list pattern: `127.0.0.1:8080` → `127.0.0.1`, `[::1]:8080` → `::1`. */
function patternHost(pattern: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(pattern);
  if (bracketed) return bracketed[1]!;
  const withPort = /^([^:]+):\d+$/.exec(pattern);
  return withPort ? withPort[1]! : pattern;
}

/** The allow-list names this address itself (`127.0.0.1`, `[::1]`): an operator's explicit choice. */
export function addressListed(address: string, patterns: string[]): boolean {
  const plain = address.toLowerCase();
  return patterns.some((pattern) => patternHost(pattern) === plain);
}
