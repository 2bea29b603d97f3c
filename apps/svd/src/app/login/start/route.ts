import { apiRoute } from '@/lib/api-route';
import { hubLaunchUrl, isSecureOrigin } from '@/lib/auth/get-session';
import { landingPath } from '@/lib/auth/landing-path';
import { beginLaunch } from '@/lib/auth/launch-binding';

/**
 * GET /login/start?returnTo=<path>: the first step of every sign-in (SPEC §4.5). Binds this browser with a fresh
 * `state` cookie, then goes to the Hub's launch, which signs the state into the token it posts back to `/login`.
 */
export const GET = apiRoute({ auth: false, html: true }, async ({ request }) => {
  const { state, setCookie } = beginLaunch(request, isSecureOrigin());
  const returnTo = landingPath(new URL(request.url).searchParams.get('returnTo'));
  return new Response(null, {
    status: 303,
    headers: {
      location: `${hubLaunchUrl(returnTo)}&state=${state}`,
      'set-cookie': setCookie,
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
    },
  });
});
