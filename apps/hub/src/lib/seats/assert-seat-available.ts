import type { TDatabase, TTransaction } from '@omg/db';
import { AppError } from '@omg/platform';
import { seatsOf, type TSeats } from './seats-of';

/**
 * Refuses (409, `details.code = 'SEAT_REQUIRED'`) when every seat of the organization's business plan is taken by
 * a member or a pending invitation: "inviting beyond the seats asks to add one". Without a live business
 * subscription nothing is limited. Call it inside withSeatAvailable (the seat lock) so the count cannot go stale.
 */
export async function assertSeatAvailable(
  db: TDatabase | TTransaction,
  organizationId: string,
): Promise<TSeats> {
  const seats = await seatsOf(db, organizationId);
  if (seats.total !== null && seats.used >= seats.total) {
    throw new AppError(
      'CONFLICT',
      `All ${seats.total} seats of ${seats.plan?.name ?? 'your plan'} are in use (${describeUse(seats)}). Add a seat in Billing to invite someone else.`,
      { details: { code: 'SEAT_REQUIRED', seats, addSeatUrl: '/billing' } },
    );
  }
  return seats;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function describeUse(seats: TSeats): string {
  const members = plural(seats.members, 'member');
  return seats.pendingInvitations > 0
    ? `${members} and ${plural(seats.pendingInvitations, 'pending invitation')}`
    : members;
}
