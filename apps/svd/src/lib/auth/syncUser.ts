import type { TLaunchClaims } from '@omg/contract';
import { schema, type TDatabase } from '@omg/db';
import { sql } from 'drizzle-orm';

/** Creates or refreshes the user's SVD profile from the hand-off claims (the Hub owns the account itself). */
export async function syncUserToDatabase(db: TDatabase, claims: TLaunchClaims): Promise<void> {
  await db
    .insert(schema.userProfile)
    .values({
      userId: claims.sub,
      email: claims.email,
      name: claims.name,
      accountType: claims.accountType,
      lastLoginAt: new Date(),
    })
    .onConflictDoUpdate({
      target: schema.userProfile.userId,
      set: {
        email: claims.email,
        name: claims.name,
        accountType: claims.accountType,
        lastLoginAt: sql`now()`,
        updatedAt: sql`now()`,
      },
    });
}
