import { apiRoute } from '@/lib/api-route';
import { deleteSvdSession } from '@/lib/auth/session';
import { readSessionCookie, sessionCookie } from '@/lib/auth/session-cookie';
import { db } from '@/lib/db';
import { env } from '@/lib/env';

/**
 * Ends this SVD session only (the OMG account stays signed in) and returns to the portal. The header's form posts
 * here; a page of another site cannot (apiRoute's origin rule), so nobody is signed out from elsewhere.
 */
export const POST = apiRoute({ auth: false, body: 'form', html: true }, async ({ request }) => {
  const secure = env().SVD_URL.startsWith('https://');
  await deleteSvdSession(db(), readSessionCookie(request, secure));
  return new Response(null, {
    status: 303,
    headers: {
      location: `${env().HUB_URL}/portal`,
      'set-cookie': sessionCookie('', { secure, expiresAt: null }),
    },
  });
});
