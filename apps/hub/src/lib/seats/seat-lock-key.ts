/**
 * The advisory lock every decision about an organization's seats takes (issue 15): inviting (a pending invitation
 * holds a seat), accepting, and changing how many seats are bought. Under it, counting and acting are one step, so
 * two admins racing for the last seat cannot both get it, and seats cannot be removed under a new invitation.
 */
export const seatLockKey = (organizationId: string) => `seats:org:${organizationId}`;
