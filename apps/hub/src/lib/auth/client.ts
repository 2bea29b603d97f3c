/**
 * Browser-side calls to the Hub's own /api/auth routes (better-auth's, and the passkey plugin's), answering as
 * better-auth's own client does: `{ data, error }`, where `error` carries the status and the route's code and
 * message; a network failure throws. Written here instead of `createAuthClient` because that client (its fetch
 * wrapper, session atoms and plugin machinery) is about 12 KB of gzipped JavaScript, and the header's sign-out
 * button put it on every page; these routes need nothing more than a JSON POST.
 */
export type TAuthError = { status: number; code?: string; message?: string };
export type TAuthResult<T> = { data: T; error: null } | { data: null; error: TAuthError };

async function call<T>(path: string, body?: Record<string, unknown>): Promise<TAuthResult<T>> {
  const response = await fetch(
    `/api/auth${path}`,
    body === undefined
      ? undefined
      : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
  );
  const parsed = await response.json().catch(() => null);
  if (response.ok) return { data: parsed as T, error: null };
  // better-auth refuses with `{ code, message }`; the routes' own guard (apiRoute) with `{ error: { code, message } }`.
  const refusal = parsed?.error ?? parsed ?? {};
  return {
    data: null,
    error: {
      status: response.status,
      code: typeof refusal.code === 'string' ? refusal.code : undefined,
      message: typeof refusal.message === 'string' ? refusal.message : undefined,
    },
  };
}

type TUserAnswer = { user: { id: string; email: string } };

export const authClient = {
  signUp: {
    email: (body: { email: string; password: string; name: string; callbackURL?: string }) =>
      call<TUserAnswer | null>('/sign-up/email', body),
  },
  signIn: {
    email: (body: { email: string; password: string }) =>
      call<TUserAnswer | { twoFactorRedirect: true }>('/sign-in/email', body),
  },
  signOut: () => call<{ success: boolean }>('/sign-out', {}),
  getSession: () => call<TUserAnswer | null>('/get-session'),
  revokeSessions: () => call<{ status: boolean }>('/revoke-sessions', {}),
  sendVerificationEmail: (body: { email: string; callbackURL?: string }) =>
    call<{ status: boolean }>('/send-verification-email', body),
  requestPasswordReset: (body: { email: string; redirectTo?: string }) =>
    call<{ status: boolean }>('/request-password-reset', body),
  resetPassword: (body: { newPassword: string; token: string }) =>
    call<{ status: boolean }>('/reset-password', body),
  twoFactor: {
    enable: (body: { password: string }) =>
      call<{ totpURI: string; backupCodes: string[] }>('/two-factor/enable', body),
    disable: (body: { password: string }) => call<{ status: boolean }>('/two-factor/disable', body),
    generateBackupCodes: (body: { password: string }) =>
      call<{ status: boolean; backupCodes: string[] }>('/two-factor/generate-backup-codes', body),
    verifyTotp: (body: { code: string; trustDevice?: boolean }) =>
      call<TUserAnswer>('/two-factor/verify-totp', body),
    verifyBackupCode: (body: { code: string; trustDevice?: boolean }) =>
      call<TUserAnswer>('/two-factor/verify-backup-code', body),
  },
  /** A POST to any other route under /api/auth (the passkey plugin's). */
  post: <T>(path: string, body: Record<string, unknown>) => call<T>(path, body),
};
