import type { TOrganizationRole } from '@omg/contract';

// The space rules without any database import, so client components (spaces/space-capabilities.ts) can use them;
// spaces/space.ts re-exports them beside the SQL filters.

/**
 * Whose documents a request works on (issue 15): the user's personal space (no organizationId), or a team space —
 * the organization the session was launched into, with the member's role as core."Membership" says right now
 * (read with the session on every request; never the launch token's). Lib operations take this beside `userId`;
 * a call with only `userId` is the personal space, exactly as before team spaces existed.
 */
export interface TSpace {
  userId: string;
  organizationId?: string | null;
  role?: TOrganizationRole | null;
}

export type TSpaceAction =
  /** List, search and download the space's documents, see its vaults and usage. */
  | 'read'
  /** Upload; rename, move and delete the documents one uploaded. */
  | 'write'
  /** Rename, move and delete anyone's documents; create, rename and delete vaults; per-member usage; the log. */
  | 'manage';

const TEAM_ACTIONS: Record<TSpaceAction, readonly TOrganizationRole[]> = {
  read: ['owner', 'admin', 'member', 'viewer'],
  write: ['owner', 'admin', 'member'],
  manage: ['owner', 'admin'],
};

export const isTeam = (space: TSpace): space is TSpace & { organizationId: string } =>
  Boolean(space.organizationId);

/** Whether the space lets this user do `action` (always, in their personal space). */
export function spaceMay(space: TSpace, action: TSpaceAction): boolean {
  if (!isTeam(space)) return true;
  return Boolean(space.role && TEAM_ACTIONS[action].includes(space.role));
}
