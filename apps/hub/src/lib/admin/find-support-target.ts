import { schema, type TDatabase, type TTransaction } from '@omg/db';
import { AppError } from '@omg/platform';
import { eq } from 'drizzle-orm';
import { z } from 'zod';

export interface TSupportTarget {
  id: string;
  email: string;
  name: string | null;
  role: string;
  emailVerified: boolean;
  deletedAt: Date | null;
  bannedAt: Date | null;
}

const ZUserIdSchema = z.uuid();

/**
 * The customer a support action is about, locked for the rest of the transaction when `lock` is set (two staff
 * acting at once on one customer take turns). An id that is not a UUID, or no user's, is a 404 that says so;
 * `allowDeleted: false` refuses a deleted account with a 409.
 */
export async function findSupportTarget(
  database: TDatabase | TTransaction,
  userId: string,
  options: { lock?: boolean; allowDeleted?: boolean } = {},
): Promise<TSupportTarget> {
  if (!ZUserIdSchema.safeParse(userId).success) throw new AppError('NOT_FOUND', 'No customer has this id.');
  const query = database
    .select({
      id: schema.user.id,
      email: schema.user.email,
      name: schema.user.name,
      role: schema.user.role,
      emailVerified: schema.user.emailVerified,
      deletedAt: schema.user.deletedAt,
      bannedAt: schema.user.bannedAt,
    })
    .from(schema.user)
    .where(eq(schema.user.id, userId));
  const [found] = options.lock ? await query.for('update') : await query;
  if (!found) throw new AppError('NOT_FOUND', 'No customer has this id.');
  if (found.deletedAt && options.allowDeleted === false) {
    throw new AppError('CONFLICT', `The account of ${found.email} was deleted; there is nothing to act on.`);
  }
  return found;
}
