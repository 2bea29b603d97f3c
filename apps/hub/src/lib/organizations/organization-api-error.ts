import { AppError, type TErrorCode } from '@omg/platform';
import { isAPIError } from 'better-auth/api';

/** What a person reads for each refusal of better-auth's organization plugin the Hub's own checks let through. */
const MESSAGES: Record<string, [TErrorCode, string]> = {
  USER_IS_ALREADY_A_MEMBER_OF_THIS_ORGANIZATION: ['CONFLICT', 'This person is already a member.'],
  USER_IS_ALREADY_INVITED_TO_THIS_ORGANIZATION: [
    'CONFLICT',
    'This address already has a pending invitation.',
  ],
  INVITATION_NOT_FOUND: [
    'NOT_FOUND',
    'This invitation is no longer valid: it was accepted, declined, revoked, or it expired. Ask for a new one.',
  ],
  YOU_ARE_NOT_THE_RECIPIENT_OF_THE_INVITATION: [
    'FORBIDDEN',
    'This invitation was sent to another email address. Sign in with that address to accept it.',
  ],
  YOU_ARE_NOT_ALLOWED_TO_INVITE_USER_WITH_THIS_ROLE: ['FORBIDDEN', 'You cannot give this role.'],
  YOU_ARE_NOT_ALLOWED_TO_INVITE_USERS_TO_THIS_ORGANIZATION: [
    'FORBIDDEN',
    'Only owners and admins can invite.',
  ],
  YOU_ARE_NOT_ALLOWED_TO_UPDATE_THIS_MEMBER: ['FORBIDDEN', 'You cannot change this member’s role.'],
  YOU_ARE_NOT_ALLOWED_TO_DELETE_THIS_MEMBER: ['FORBIDDEN', 'You cannot remove this member.'],
  YOU_ARE_NOT_ALLOWED_TO_CANCEL_THIS_INVITATION: ['FORBIDDEN', 'You cannot revoke this invitation.'],
  YOU_CANNOT_LEAVE_THE_ORGANIZATION_AS_THE_ONLY_OWNER: [
    'CONFLICT',
    'The owner stays until ownership is transferred to another member.',
  ],
  YOU_CANNOT_LEAVE_THE_ORGANIZATION_WITHOUT_AN_OWNER: [
    'CONFLICT',
    'A business account always has an owner: transfer ownership instead.',
  ],
  MEMBER_NOT_FOUND: ['NOT_FOUND', 'This person is not a member (any more).'],
  ORGANIZATION_NOT_FOUND: ['NOT_FOUND', 'This business account does not exist, or you are not a member.'],
  YOU_ARE_NOT_A_MEMBER_OF_THIS_ORGANIZATION: [
    'NOT_FOUND',
    'This business account does not exist, or you are not a member.',
  ],
  USER_IS_NOT_A_MEMBER_OF_THE_ORGANIZATION: [
    'NOT_FOUND',
    'This business account does not exist, or you are not a member.',
  ],
  YOU_HAVE_REACHED_THE_MAXIMUM_NUMBER_OF_ORGANIZATIONS: [
    'CONFLICT',
    'You have reached the maximum number of business accounts.',
  ],
  INVITATION_LIMIT_REACHED: ['CONFLICT', 'Too many pending invitations: revoke some first.'],
  ORGANIZATION_MEMBERSHIP_LIMIT_REACHED: [
    'CONFLICT',
    'This business account has no room for another member.',
  ],
  INVALID_EMAIL: ['BAD_REQUEST', 'Enter a valid email address.'],
};

/**
 * Runs a call into better-auth's organization plugin and turns its refusals into the Hub's AppError. Told apart
 * by isAPIError, not instanceof: the production bundle holds several copies of better-auth's error classes.
 */
export async function callOrganizationApi<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!isAPIError(error)) throw error;
    const code = String((error.body as { code?: unknown } | undefined)?.code ?? '');
    const known = MESSAGES[code];
    if (known) throw new AppError(known[0], known[1], { details: { code }, cause: error });
    if (error.statusCode === 401) {
      throw new AppError('UNAUTHORIZED', 'You are not signed in. Log in to your OMG account and try again.');
    }
    if (error.statusCode >= 400 && error.statusCode < 500) {
      throw new AppError('BAD_REQUEST', error.message || 'That did not work.', {
        details: { code },
        cause: error,
      });
    }
    throw error;
  }
}
