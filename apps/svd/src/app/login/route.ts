import { escapeHtml, htmlPage } from '@omg/platform';
import { apiRoute } from '@/lib/api-route';
import { consumeLaunchToken } from '@/lib/auth/consume-launch-token';
import { landingPath } from '@/lib/auth/landing-path';
import {
  beginConfirmation,
  clearConfirmation,
  isConfirmed,
  pendingLaunchStates,
  spendLaunchState,
} from '@/lib/auth/launch-binding';
import { deleteSvdSession } from '@/lib/auth/session';
import { readSessionCookie, sessionCookie } from '@/lib/auth/session-cookie';
import { db } from '@/lib/db';
import { env } from '@/lib/env';

const ACCENT = '#047857';
const MAX_FORM_BYTES = 16 * 1024;

/**
 * A good token that this browser did not ask for (delivered by someone else, or from an issuer that cannot bind):
 * the user decides, seeing whose account it opens, instead of being switched silently (SPEC §4.5).
 */
function confirmationPage(token: string, returnTo: unknown, email: string, secure: boolean): Response {
  const { value, setCookie } = beginConfirmation(secure);
  const landing = landingPath(returnTo);
  const response = htmlPage({
    title: 'Continue to SecureVault Docs?',
    accent: ACCENT,
    status: 200,
    body: `<h1>Continue as ${escapeHtml(email)}?</h1>
<p>This opens SecureVault Docs signed in as <strong>${escapeHtml(email)}</strong>. If you did not just launch it from
your own OMG portal, someone may be trying to sign you in to their account: go back to your portal instead.</p>
<form method="post" action="/login">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<input type="hidden" name="returnTo" value="${escapeHtml(landing)}">
<input type="hidden" name="confirm" value="${value}">
<button type="submit">Continue as ${escapeHtml(email)}</button>
</form>
<p style="margin-top:1.25rem"><a href="${escapeHtml(`${env().HUB_URL}/portal`)}">Back to your portal</a></p>`,
  });
  response.headers.append('set-cookie', setCookie);
  return response;
}

/** Accepts the Hub's hand-off token and starts SVD's own session (SPEC §4.3). */
async function signIn(
  request: Request,
  fields: { token: unknown; returnTo: unknown; confirm: unknown },
  log: { info: (o: object, m: string) => void },
) {
  const { token, returnTo } = fields;
  const secure = env().SVD_URL.startsWith('https://');
  const pending = pendingLaunchStates(request, secure);
  const confirmed = isConfirmed(request, secure, fields.confirm);
  const result = await consumeLaunchToken(db(), {
    token,
    issuer: env().HUB_URL,
    secret: env().SSO_SECRET,
    isBound: (claims) => confirmed || (claims.nonce !== undefined && pending.includes(claims.nonce)),
  });
  if (result.ok === 'confirm') {
    log.info({ userId: result.claims.sub }, 'launch token not bound to this browser: asking');
    return confirmationPage(String(token), returnTo, result.claims.email, secure);
  }
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
  log.info({ userId: result.claims.sub, confirmed }, 'signed in from the hub');
  const headers = new Headers({
    location: new URL(landingPath(returnTo), env().SVD_URL).toString(),
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
  });
  headers.append('set-cookie', sessionCookie(result.sessionToken, { secure, expiresAt: result.expiresAt }));
  headers.append('set-cookie', spendLaunchState(request, secure, result.claims.nonce));
  if (confirmed) headers.append('set-cookie', clearConfirmation(secure));
  return new Response(null, { status: 303, headers });
}

// The Hub's launch page posts the hand-off here from the Hub's origin; SVD's own "Continue as" page posts from SVD.
// Any other site's post is refused before the token is looked at. Outside proxy.ts (`html`): apiRoute gives every
// answer the security headers.
const HAND_OFF = { auth: false, body: 'form', allowOrigins: () => [env().HUB_URL], html: true } as const;

/** The form_post delivery: the token arrives in the body, never in a URL. */
export const POST = apiRoute(HAND_OFF, async ({ request, log }) => {
  const length = Number(request.headers.get('content-length') ?? 0);
  const type = request.headers.get('content-type') ?? '';
  if (length > MAX_FORM_BYTES || !/^(application\/x-www-form-urlencoded|multipart\/form-data)/.test(type)) {
    return signIn(request, { token: null, returnTo: null, confirm: null }, log);
  }
  const form = await request.formData().catch(() => null);
  return signIn(
    request,
    {
      token: form?.get('token') ?? null,
      returnTo: form?.get('returnTo') ?? null,
      confirm: form?.get('confirm'),
    },
    log,
  );
});

/**
 * `GET /login?token=…`, the hand-off document's URL shape, for issuers that redirect: the same binding rule, and a
 * confirmation can only ever be posted from our own page.
 */
export const GET = apiRoute({ auth: false, html: true }, async ({ request, log }) => {
  const url = new URL(request.url);
  const fields = { token: url.searchParams.get('token'), returnTo: url.searchParams.get('returnTo') };
  return signIn(request, { ...fields, confirm: null }, log);
});
