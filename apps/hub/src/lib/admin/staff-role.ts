import { z } from 'zod';

/** The roles of core."User".role; 'user' is every customer, the other two may open /admin. */
export const ZUserRoleSchema = z.enum(['user', 'support', 'admin']);
export type TUserRole = z.infer<typeof ZUserRoleSchema>;

export const ZStaffRoleSchema = z.enum(['support', 'admin']);
export type TStaffRole = z.infer<typeof ZStaffRoleSchema>;

/** An admin can do everything support can (issue 14: support looks and does reversible actions; admin also more). */
const RANK: Record<TUserRole, number> = { user: 0, support: 1, admin: 2 };

/** Whether `role` (as stored, possibly unknown) is at least `needed`. */
export function hasStaffRole(role: string | null | undefined, needed: TStaffRole): boolean {
  const parsed = ZUserRoleSchema.safeParse(role);
  return parsed.success && RANK[parsed.data] >= RANK[needed];
}
