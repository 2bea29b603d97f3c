import { schema, type TDatabase, type TTransaction } from '@omg/db';
import { and, eq, isNotNull } from 'drizzle-orm';

/**
 * Whether the account has a credential with a password. Without one it is a migrated account that can still be
 * claimed (its mails are claim links, not verification links).
 */
export async function hasPassword(db: TDatabase | TTransaction, userId: string): Promise<boolean> {
  const credential = await db
    .select({ id: schema.account.id })
    .from(schema.account)
    .where(
      and(
        eq(schema.account.userId, userId),
        eq(schema.account.providerId, 'credential'),
        isNotNull(schema.account.password),
      ),
    )
    .limit(1);
  return credential.length > 0;
}
