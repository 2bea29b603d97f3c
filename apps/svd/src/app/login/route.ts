import { escapeHtml, htmlPage, isSafeReturnUrl } from '@omg/platform';
import { consumeLaunchToken } from '@/lib/auth/consume-launch-token';
import { deleteSvdSession } from '@/lib/auth/session';
import { readSessionCookie, sessionCookie } from '@/lib/auth/session-cookie';
import { db } from '@/lib/db';
import { env } from '@/lib/env';
import { apiHandler } from '@/lib/logger';

const ACCENT = '#047857';
const MAX_FORM_BYTES = 16 * 1024;

function landingPath(returnTo: unknown): string {
  if (typeof returnTo !== 'string' || !isSafeReturnUrl(returnTo, [env().SVD_URL])) return '/vault';
  const url = new URL(returnTo, env().SVD_URL);
  return url.pathname.startsWith('/login') ? '/vault' : `${url.pathname}${url.search}`;
}

/** Accepts the Hub's hand-off token and starts SVD's own session (SPEC §4.3). */
async function signIn(
  request: Request,
  token: unknown,
  returnTo: unknown,
  log: { info: (o: object, m: string) => void },
) {
  const secure = env().SVD_URL.startsWith('https://');
  const result = await consumeLaunchToken(db(), { token, issuer: env().HUB_URL, secret: env().SSO_SECRET });
  if (!result.ok) {
    log.info({ reason: result.reason }, 'launch token refused');
    return htmlPage({
      title: result.title,
      accent: ACCENT,
      status: result.status,
      body: `<h1>${escapeHtml(result.title)}</h1><p>${escapeHtml(result.message)}</p>
<a class="button" href="${escapeHtml(`${env().HUB_URL}/portal`)}">Back to your portal</a>`,
    });
  }
  // Whoever was signed in here before, the token's user replaces them.
  await deleteSvdSession(db(), readSessionCookie(request, secure));
  log.info({ userId: result.claims.sub }, 'signed in from the hub');
  return new Response(null, {
    status: 303,
    headers: {
      location: new URL(landingPath(returnTo), env().SVD_URL).toString(),
      'set-cookie': sessionCookie(result.sessionToken, { secure, expiresAt: result.expiresAt }),
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
    },
  });
}

/** The form_post delivery: the token arrives in the body, never in a URL. */
export const POST = apiHandler(async (request, { log }) => {
  const length = Number(request.headers.get('content-length') ?? 0);
  const type = request.headers.get('content-type') ?? '';
  if (length > MAX_FORM_BYTES || !/^(application\/x-www-form-urlencoded|multipart\/form-data)/.test(type)) {
    return signIn(request, null, null, log);
  }
  const form = await request.formData().catch(() => null);
  return signIn(request, form?.get('token') ?? null, form?.get('returnTo') ?? null, log);
});

/** `GET /login?token=…`, the hand-off document's URL shape, for issuers that redirect. */
export const GET = apiHandler(async (request, { log }) => {
  const url = new URL(request.url);
  return signIn(request, url.searchParams.get('token'), url.searchParams.get('returnTo'), log);
});
