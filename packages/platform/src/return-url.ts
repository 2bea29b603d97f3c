import { normalizeRedirectTarget } from './redirect-target';

/**
 * @deprecated Use `normalizeRedirectTarget` and keep its return value. This yes/no form only bridges the callers
 * that still re-parse the caller's string themselves; it applies the same rules. An empty `allowedOrigins`
 * means "a path on this site only".
 */
export function isSafeReturnUrl(target: string, allowedOrigins: readonly string[]): boolean {
  // A reserved name (RFC 2606) stands for "this site" so that relative paths resolve somewhere harmless.
  return normalizeRedirectTarget(target, { self: 'http://self.invalid', allowed: allowedOrigins }) !== null;
}
