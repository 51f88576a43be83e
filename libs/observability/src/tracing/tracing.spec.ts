import { scrubSpanText } from './span-scrubber';
import { serviceNameOf, tracingEnabled } from './tracing-options';

describe('tracingEnabled', () => {
  it.each([
    [{}, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: '' }, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, true],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }, true],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'false' }, true],
  ])('%j → %s', (env, enabled) => {
    expect(tracingEnabled(env)).toBe(enabled);
  });
});

describe('serviceNameOf', () => {
  it('prefers OTEL_SERVICE_NAME, else names the app from its entry script', () => {
    expect(serviceNameOf({ OTEL_SERVICE_NAME: 'custom' }, '/app/dist/apps/provider/src/main.js')).toBe(
      'custom',
    );
    expect(serviceNameOf({}, '/app/dist/apps/provider/src/main.js')).toBe('provider');
    expect(serviceNameOf({}, '/srv/dist/apps/generator/src/main.js')).toBe('generator');
    expect(serviceNameOf({}, undefined)).toBe('discounts');
  });
});

describe('scrubSpanText', () => {
  it('censors the secret segment of the predecessor’s path and credentials, keeps templates', () => {
    expect(scrubSpanText('url.path', '/discounts/api/v1.0/get_code/u-1/S3cret_x/brand')).toBe(
      '/discounts/api/v1.0/get_code/u-1/[redacted]/brand',
    );
    expect(scrubSpanText(undefined, 'GET /discounts/api/v1.0/get_code/:user_id/:user_secret/:brand_id')).toBe(
      'GET /discounts/api/v1.0/get_code/:user_id/:user_secret/:brand_id',
    );
    expect(scrubSpanText('url.full', 'https://shop.example/hook?token=abc')).toBe(
      'https://shop.example/hook',
    );
    expect(scrubSpanText('http.request.header.authorization', 'Bearer abc.def')).toBe('Bearer [redacted]');
  });
});
