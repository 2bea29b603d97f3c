import { confirmStaffPassword, ZConfirmStaffPasswordSchema } from '@/lib/admin/confirm-staff-password';
import { requireStaff } from '@/lib/admin/require-staff';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';

/**
 * POST /api/admin/confirm { password } → 204: staff re-enter their password (issue 14: staff actions need a
 * recent sign-in). 404 for everyone who is not staff, signed out included (auth: false, so apiRoute's 401 does
 * not advertise the console); the guard itself does not ask for a recent check, that is what this records.
 */
export const POST = apiRoute(
  { auth: false, body: ZConfirmStaffPasswordSchema },
  async ({ request, body }) => {
    const staff = await requireStaff(request, { role: 'support', recentSignInMinutes: false });
    await confirmStaffPassword(db(), request.headers, staff, body);
    return new Response(null, { status: 204 });
  },
);
