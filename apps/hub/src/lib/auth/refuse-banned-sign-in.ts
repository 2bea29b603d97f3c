import { schema, type TDatabase } from '@omg/db';
import { APIError } from 'better-auth/api';
import { eq } from 'drizzle-orm';

/** What a banned customer reads on the sign-in form (the staff's reason stays in the console). */
export const BANNED_MESSAGE =
  'This account is suspended. Contact support if you think this is a mistake — signing in is not possible until then.';

/**
 * Refuses a new session for a banned account (core."User".bannedAt, set by the console's Ban). Called from
 * better-auth's session create hook, which every way in goes through — password (with or without 2FA), passkey,
 * the link of a verification mail, the claim of a migrated account — so a ban cannot be walked around by
 * choosing another door. The ban itself ends the sessions that existed.
 */
export async function refuseBannedSignIn(database: TDatabase, userId: string): Promise<void> {
  const [user] = await database
    .select({ bannedAt: schema.user.bannedAt })
    .from(schema.user)
    .where(eq(schema.user.id, userId));
  if (user?.bannedAt) throw new APIError('FORBIDDEN', { code: 'ACCOUNT_BANNED', message: BANNED_MESSAGE });
}
