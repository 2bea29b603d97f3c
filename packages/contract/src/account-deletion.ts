/**
 * A deleted account's data stays this many days before each app purges it (SVD: `npm run svd:purge-deleted`), so a
 * mistaken deletion can still be undone by staff. Sign-in, sessions, billing and mail end at once; only stored
 * documents wait. The one definition: the Account page states it and SVD's purge obeys it.
 */
export const ACCOUNT_DELETION_GRACE_DAYS = 30;

/** Accounts deleted before this moment are due for purging. */
export function purgeDueBefore(now: Date): Date {
  return new Date(now.getTime() - ACCOUNT_DELETION_GRACE_DAYS * 24 * 60 * 60 * 1000);
}
