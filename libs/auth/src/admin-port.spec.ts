import { DomainError } from '@app/contracts';
import { assertAdminPort } from './admin-port';

const arrivedOn = (localPort: number | undefined) => ({ socket: { localPort } });

describe('assertAdminPort', () => {
  it('lets every request use the admin token when there is no admin port', () => {
    expect(() => assertAdminPort(arrivedOn(5001), undefined)).not.toThrow();
    expect(() => assertAdminPort(arrivedOn(undefined), undefined)).not.toThrow();
  });

  it('lets requests on the admin port use it', () => {
    expect(() => assertAdminPort(arrivedOn(8081), 8081)).not.toThrow();
  });

  it.each([
    ['the API port', 5001],
    ['a connection without a known port (an injected request)', undefined],
  ])('refuses it on %s with admin_port_only', (_, localPort) => {
    let error: unknown;
    try {
      assertAdminPort(arrivedOn(localPort), 8081);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('admin_port_only');
    expect((error as Error).message).toMatch(/admin requests go to the admin port/);
    // The port number stays internal: the public answer does not map the deployment.
    expect((error as Error).message).not.toContain('8081');
  });
});
