import { authErrorMessage } from '../auth-errors';
import { authClient, type TAuthResult } from '../client';

/**
 * Browser side: one POST to the passkey routes (/api/auth/passkey/*), resolving to the answer or throwing an
 * Error with the message a person should read (the route's own message, or the shared auth wording).
 */
export async function passkeyCall<T>(path: string, body: unknown): Promise<T> {
  let result: TAuthResult<T>;
  try {
    result = await authClient.post<T>(`/passkey/${path}`, body as Record<string, unknown>);
  } catch {
    throw new Error('We could not reach the server. Check your connection and try again.');
  }
  if (result.error || result.data === null) {
    const error = (result.error ?? {}) as { code?: string; status?: number; message?: string };
    throw new Error(authErrorMessage(error));
  }
  return result.data as T;
}

/**
 * What the browser's own refusal means, in words (navigator.credentials throws DOMExceptions, which
 * @simplewebauthn/browser wraps as WebAuthnError with a code for the common cases).
 */
export function ceremonyErrorMessage(error: unknown, ceremony: 'register' | 'sign-in'): string {
  const { name = '', code = '' } = (error ?? {}) as { name?: string; code?: string };
  if (code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED' || name === 'InvalidStateError') {
    return 'This device or security key already has a passkey for your account. You can sign in with it.';
  }
  if (name === 'NotAllowedError' || name === 'AbortError' || code === 'ERROR_CEREMONY_ABORTED') {
    return ceremony === 'register'
      ? 'The passkey was not created: the request was cancelled or timed out. Nothing was saved.'
      : 'The passkey sign-in was cancelled or timed out. Try again, or log in with your email and password.';
  }
  if (
    name === 'NotSupportedError' ||
    code === 'ERROR_INVALID_PUBLIC_KEY_ALGORITHM' ||
    name === 'SecurityError'
  ) {
    return 'This browser or device cannot use passkeys here. Try another browser, or use your password.';
  }
  return error instanceof Error && error.message
    ? error.message
    : 'The passkey did not work. Please try again.';
}

/** Said when the browser has no WebAuthn at all. */
export const PASSKEYS_UNSUPPORTED =
  'This browser does not support passkeys. Use an up-to-date browser, or log in with your email and password.';
