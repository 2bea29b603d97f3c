import { type TDatabase, withAdvisoryLock } from '@omg/db';
import { assertSeatAvailable } from './assert-seat-available';
import { seatLockKey } from './seat-lock-key';

/**
 * Runs `work` (creating an invitation, accepting one) only while one of the organization's seats is free, holding
 * the organization's seat lock until it is done: of two admins inviting for the last seat at once, one invites and
 * the other is asked to add a seat (assertSeatAvailable's 409). `work` may write through its own connection (the
 * organization plugin does): the lock is held until it returns, so the next one counts its invitation.
 */
export async function withSeatAvailable<T>(
  db: TDatabase,
  organizationId: string,
  work: () => Promise<T>,
): Promise<T> {
  return withAdvisoryLock(db, seatLockKey(organizationId), async (tx) => {
    await assertSeatAvailable(tx, organizationId);
    return work();
  });
}
