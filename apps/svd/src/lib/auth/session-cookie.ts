import { sessionCookieName } from './session';

/** Set-Cookie for SVD's session: httpOnly, SameSite=Lax, Secure (and __Host-) over HTTPS. */
export function sessionCookie(value: string, options: { secure: boolean; expiresAt: Date | null }): string {
  const parts = [`${sessionCookieName(options.secure)}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (options.secure) parts.push('Secure');
  if (options.expiresAt) {
    parts.push(`Max-Age=${Math.max(0, Math.floor((options.expiresAt.getTime() - Date.now()) / 1000))}`);
  } else {
    parts.push('Max-Age=0');
  }
  return parts.join('; ');
}

/** One cookie's value from a raw request (route handlers), if any. */
export function readCookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/** The session cookie's value from a raw request (route handlers), if any. */
export function readSessionCookie(request: Request, secure: boolean): string | undefined {
  return readCookie(request, sessionCookieName(secure));
}
