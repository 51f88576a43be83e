import { DomainError } from '@app/contracts';

/** The part of a request that tells which listener it came in on. */
export interface ArrivedOn {
  readonly socket: { readonly localPort?: number };
}

/**
 * The one place that decides whether the admin token may act on this request. With an admin port
 * (ADMIN_PORT), only requests that came in on it may: the public ingress routes only to the API
 * port, so an admin token that leaks to, or is replayed by, a public client opens nothing. The
 * local port of the connection is the listener's own port whatever a proxy or a Service maps in
 * front of it. Without an admin port, every request may (local runs).
 *
 * Called only once the token is known to be the admin token: the error is not a wrong credential
 * (it must not count towards the lockout), it is the right one at the wrong door.
 */
export function assertAdminPort(request: ArrivedOn, adminPort: number | undefined): void {
  if (adminPort === undefined || request.socket.localPort === adminPort) return;
  throw new DomainError(
    'admin_port_only',
    'The admin token is not accepted on this port: admin requests go to the admin port (ADMIN_PORT)',
  );
}
