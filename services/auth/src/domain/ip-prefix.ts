import { isIPv4, isIPv6 } from 'node:net';

/**
 * The coarse network of a client address, for the session list: an IPv4 /24 or an IPv6 /48 — enough
 * for a person to recognise "my home network" or "not me", never the full address (which is personal
 * data and is neither stored with the session nor logged).
 */
export function ipPrefix(ip: string | undefined): string | null {
  if (!ip) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const address = mapped ? mapped[1]! : ip;
  if (isIPv4(address)) return `${address.split('.').slice(0, 3).join('.')}.0/24`;
  if (!isIPv6(address)) return null;
  const groups = expandIPv6(address.split('%')[0]!);
  return `${groups
    .slice(0, 3)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/48`;
}

/** The eight hexadecimal groups of an IPv6 address written with or without `::`. */
function expandIPv6(address: string): string[] {
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill('0'), ...right];
}

/** A user agent as the session list shows it: printable, at most 200 characters. */
export function sessionUserAgent(userAgent: string | undefined): string | null {
  const clean = (userAgent ?? '').replace(/[^\x20-\x7e]/g, '').trim();
  return clean ? clean.slice(0, 200) : null;
}
