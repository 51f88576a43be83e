import { callerScopeOf } from './caller-scope';
import type { AuthenticatedRequest } from './request-auth';

const request = (fields: Partial<AuthenticatedRequest>) =>
  ({ ip: '10.0.0.7', ...fields }) as AuthenticatedRequest;

describe('callerScopeOf', () => {
  it('names each kind of caller apart', () => {
    expect(callerScopeOf(request({ principal: { kind: 'admin' } }))).toBe('admin');
    expect(callerScopeOf(request({ principal: { kind: 'brand', brandId: 'acme' } }))).toBe('brand:acme');
    expect(callerScopeOf(request({ userId: 'alice' }))).toBe('user:alice');
    expect(callerScopeOf(request({ principal: { kind: 'open' } }))).toBe('open:10.0.0.7');
  });

  it('is the same for a brand whichever of its keys is used', () => {
    expect(callerScopeOf(request({ principal: { kind: 'brand', brandId: 'acme', previousKey: true } }))).toBe(
      'brand:acme',
    );
  });

  it('is undefined when no guard identified the caller', () => {
    expect(callerScopeOf(request({}))).toBeUndefined();
  });
});
