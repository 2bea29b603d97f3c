import { findProductByAppId, ZProductIdSchema } from '@omg/contract';
import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { z } from 'zod';

export const ZDismissCrossSellSchema = z.strictObject({ productId: ZProductIdSchema });
export type TDismissCrossSell = z.infer<typeof ZDismissCrossSellSchema>;

/** Closes the portal's suggestion of one product for this account, on every device; closing it again is a no-op. */
export async function dismissCrossSell(
  db: TDatabase,
  input: { userId: string; productId: string },
): Promise<void> {
  if (!findProductByAppId(input.productId)) throw new AppError('BAD_REQUEST', 'There is no such product.');
  await db
    .insert(schema.crossSellDismissal)
    .values({ userId: input.userId, appId: input.productId })
    .onConflictDoNothing();
}
