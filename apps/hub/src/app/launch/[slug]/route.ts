import { AppError, escapeHtml, htmlPage } from '@omg/platform';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { env } from '@/lib/env';
import { createLaunch, ZLaunchParamsSchema } from '@/lib/sso/create-launch';

const ACCENT = '#3b55e6';

/**
 * GET /launch/<slug>?returnTo=<path>&state=<binding>: hands the signed-in user to the app with a one-time token,
 * posted by an auto-submitting form so the token never sits in a URL (SPEC §4). Visitors without a session log in
 * first; a launch without the app's binding `state` goes by the app's `/login/start` to get one (SPEC §4.5).
 * Outside proxy.ts (`html`): apiRoute gives every answer the security headers and the script its nonce.
 */
export const GET = apiRoute(
  { auth: 'optional', params: ZLaunchParamsSchema, html: true },
  async ({ request, session, params, nonce }) => {
    const url = new URL(request.url);
    if (!session) {
      const next = `${url.pathname}${url.search}`;
      return Response.redirect(new URL(`/login?next=${encodeURIComponent(next)}`, env().HUB_URL), 303);
    }
    try {
      const launch = await createLaunch(db(), {
        slug: params.slug,
        returnTo: url.searchParams.get('returnTo'),
        state: url.searchParams.get('state'),
        auth: session,
        issuer: env().HUB_URL,
        secret: env().SSO_SECRET,
      });
      if (launch.kind === 'bind') return Response.redirect(launch.location, 303);
      const returnField = launch.returnTo
        ? `<input type="hidden" name="returnTo" value="${escapeHtml(launch.returnTo)}">`
        : '';
      return htmlPage({
        title: `Opening ${launch.appName}`,
        accent: ACCENT,
        status: 200,
        body: `<div class="spinner" aria-hidden="true"></div>
<h1>Opening ${escapeHtml(launch.appName)}…</h1>
<p>Signing you in with your OMG account.</p>
<form method="post" action="${escapeHtml(launch.action)}">
<input type="hidden" name="token" value="${escapeHtml(launch.token)}">${returnField}
<noscript><button type="submit">Continue to ${escapeHtml(launch.appName)}</button></noscript>
</form>`,
        script: 'document.forms[0].submit();',
        nonce,
      });
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'NOT_FOUND') throw error;
      return htmlPage({
        title: 'Not available yet',
        accent: ACCENT,
        status: 404,
        body: `<h1>${escapeHtml(error.details?.appName ? `${error.details.appName} is not available yet` : 'Product not found')}</h1>
<p>${escapeHtml(error.message)}</p><a class="button" href="/portal">Back to your portal</a>`,
      });
    }
  },
);
