import { apiRoute } from '@/lib/api-route';
import { auth } from '@/lib/auth/auth';

/**
 * DELETE /api/account/sessions/others → 204: "Sign out everywhere else". Every other Hub session of the account
 * ends, and with them their SVD sessions; this device stays signed in to both apps.
 */
export const DELETE = apiRoute({}, async ({ request }) => {
  await auth().api.revokeOtherSessions({ headers: request.headers });
  return new Response(null, { status: 204 });
});
