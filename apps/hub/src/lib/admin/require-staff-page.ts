import { AppError } from '@omg/platform';
import { headers } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { RECENT_SIGN_IN_REQUIRED, requireStaff, type TStaff } from './require-staff';
import type { TStaffRole } from './staff-role';

/** Where /admin/confirm may send staff back to: a console path, never another site. */
export function adminReturnPath(next: unknown): string {
  return typeof next === 'string' && /^\/admin(\/[\w\-/]*)?$/.test(next) && next !== '/admin/confirm'
    ? next
    : '/admin';
}

/**
 * requireStaff for a server page: everyone but staff sees the ordinary 404 page; staff whose last check is stale
 * go to /admin/confirm and come back to `returnTo`.
 */
export async function requireStaffPage(
  returnTo: string,
  options: { role: TStaffRole; recentSignInMinutes?: number | false },
): Promise<TStaff> {
  try {
    return await requireStaff(await headers(), options);
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') notFound();
    if (error instanceof AppError && error.details?.code === RECENT_SIGN_IN_REQUIRED) {
      redirect(`/admin/confirm?next=${encodeURIComponent(adminReturnPath(returnTo))}`);
    }
    throw error;
  }
}
