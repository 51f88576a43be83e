import { urlRefusal, type UrlRulesSettings } from './url-rules';

const httpsOnly: UrlRulesSettings = { allowHttp: false, allowedPorts: [{ from: 443, to: 443 }] };
const development: UrlRulesSettings = { allowHttp: true, allowedPorts: [{ from: 1024, to: 65_535 }] };

describe('urlRefusal', () => {
  it.each(['https://shop.example.com/hooks', 'https://shop.example.com:443/hooks'])(
    'allows %s by default',
    (url) => expect(urlRefusal(new URL(url), httpsOnly)).toBeUndefined(),
  );

  it.each([
    ['http://shop.example.com/hooks', 'must start with https://'],
    ['ftp://shop.example.com/hooks', 'must start with https://'],
    ['https://shop.example.com:8443/hooks', 'must use an allowed port (443), not 8443'],
    ['https://shop.example.com:22/hooks', 'not 22'],
  ])('refuses %s by default', (url, reason) => {
    expect(urlRefusal(new URL(url), httpsOnly)).toContain(reason);
  });

  it('takes http and other ports only when the settings say so', () => {
    expect(urlRefusal(new URL('http://127.0.0.1:8080/'), development)).toBeUndefined();
    expect(urlRefusal(new URL('http://127.0.0.1/'), development)).toBe(
      'must use an allowed port (1024-65535), not 80',
    );
    expect(urlRefusal(new URL('gopher://127.0.0.1:8080/'), development)).toBe(
      'must start with http:// or https://',
    );
  });
});
