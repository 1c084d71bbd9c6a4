import { addressListed, isInternalAddress } from '../../../src/outbound/addresses';
import { hostAllowed, redactUrl } from '../../../src/outbound/allow-list';

describe('hostAllowed', () => {
  it.each([
    ['https://hooks.example.com/x', ['hooks.example.com'], true],
    ['https://a.b.example.org/x', ['*.example.org'], true],
    ['https://example.org/x', ['*.example.org'], false],
    ['http://127.0.0.1:9093/api', ['127.0.0.1:9093'], true],
    ['http://127.0.0.1:9094/api', ['127.0.0.1:9093'], false],
    ['http://user:pw@hooks.example.com/', ['hooks.example.com'], false],
    ['ftp://hooks.example.com/', ['hooks.example.com'], false],
    ['https://hooks.example.com/', [], false],
    ['not a url', ['*'], false],
  ])('given %s and %j, says %s', (url, patterns, allowed) => {
    expect(hostAllowed(url, patterns)).toBe(allowed);
  });
});

describe('redactUrl', () => {
  it('keeps scheme, host and port, and hides paths and query strings that carry credentials', () => {
    expect(redactUrl('https://hooks.slack.com/services/T000/B000/XXXX')).toBe('https://hooks.slack.com/…');
    expect(redactUrl('http://127.0.0.1:8080/hook?token=abc#x')).toBe('http://127.0.0.1:8080/…');
    expect(redactUrl('https://alerts.example.org/')).toBe('https://alerts.example.org/');
    expect(redactUrl('garbage')).toBe('…');
  });
});

describe('internal addresses', () => {
  it.each(['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', 'not-an-ip'])(
    'counts %s as internal',
    (address) => expect(isInternalAddress(address)).toBe(true),
  );
  it.each(['8.8.8.8', '2001:4860:4860::8888'])('counts %s as public', (address) => expect(isInternalAddress(address)).toBe(false));

  it('lets an allow-list name an internal address explicitly, with or without a port', () => {
    expect(addressListed('127.0.0.1', ['127.0.0.1'])).toBe(true);
    expect(addressListed('127.0.0.1', ['127.0.0.1:9093'])).toBe(true);
    expect(addressListed('::1', ['[::1]:9093'])).toBe(true);
    expect(addressListed('127.0.0.1', ['localhost'])).toBe(false);
  });
});
