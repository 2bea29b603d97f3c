import { env } from '../env';

/** How long an invitation can be accepted. */
export const ORGANIZATION_INVITATION_DAYS = 7;

/** The page an invited person opens (sent by mail and shown to the inviter to copy). */
export function invitationUrl(invitationId: string): string {
  return `${env().HUB_URL}/invitations/${encodeURIComponent(invitationId)}`;
}
