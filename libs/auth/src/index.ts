export * from './auth-options';
export * from './auth.module';
export * from './bearer';
export * from './credentials';
export * from './guards';
export * from './jwt-verifier';
export * from './principal';
export * from './verified-secret-cache';
export { CurrentPrincipal, CurrentUserId, type AuthenticatedRequest } from './request-auth';
