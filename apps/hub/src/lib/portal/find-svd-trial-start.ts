import { schema, type TDatabase } from '@omg/db';
import { eq } from 'drizzle-orm';

/**
 * When the customer's no-subscription SVD free trial started: SVD counts its 14 days from the customer's first use
 * of SVD (securevault."UserProfile"."createdAt", written on the first launch). Before that first launch the trial
 * has not started, and SVD would start it on launch, so it starts `now` — the Hub then says what SVD would say.
 * The Hub's role may read only these two columns of SVD's schema.
 */
export async function findSvdTrialStart(
  db: TDatabase,
  { userId, now = new Date() }: { userId: string; now?: Date },
): Promise<Date> {
  const [profile] = await db
    .select({ createdAt: schema.userProfile.createdAt })
    .from(schema.userProfile)
    .where(eq(schema.userProfile.userId, userId));
  return profile?.createdAt ?? now;
}
