import { describe, expect, it } from 'vitest';
import { ipPrefix, sessionUserAgent } from '../src/domain/ip-prefix.js';

describe('the session list’s coarse address', () => {
  it.each([
    ['203.0.113.77', '203.0.113.0/24'],
    ['::ffff:198.51.100.9', '198.51.100.0/24'],
    ['2001:db8:abcd:12:34::1', '2001:db8:abcd::/48'],
    ['2001:0db8:0000:0012::7', '2001:db8:0::/48'],
    ['::1', '0:0:0::/48'],
    ['fe80::1%eth0', 'fe80:0:0::/48'],
  ])('%s → %s', (ip, prefix) => {
    expect(ipPrefix(ip)).toBe(prefix);
  });

  it('never answers something it cannot read as an address', () => {
    for (const junk of [undefined, '', 'localhost', '1.2.3', '999.1.1.1', 'not an ip']) expect(ipPrefix(junk)).toBeNull();
  });

  it('keeps a user agent printable and short', () => {
    expect(sessionUserAgent('Mozilla/5.0 (X11)\u0000\n')).toBe('Mozilla/5.0 (X11)');
    expect(sessionUserAgent('x'.repeat(500))).toHaveLength(200);
    expect(sessionUserAgent('   ')).toBeNull();
    expect(sessionUserAgent(undefined)).toBeNull();
  });
});
