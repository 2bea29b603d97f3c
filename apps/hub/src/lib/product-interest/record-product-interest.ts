import { findProductByAppId, ZProductIdSchema } from '@omg/contract';
import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { z } from 'zod';
import { isProductLaunched } from '../checkout/is-product-launched';

/** "Notify me": a visitor gives an address; a signed-in customer's account email is used (and any sent ignored). */
export const ZProductInterestSchema = z.strictObject({
  productId: ZProductIdSchema,
  email: z
    .string()
    .trim()
    .max(254, 'This email address is too long.')
    .toLowerCase()
    .pipe(z.email({ message: 'Enter a valid email address.' }))
    .optional(),
});
export type TProductInterest = z.infer<typeof ZProductInterestSchema>;

export interface TProductInterestResult {
  /** False when this address (or account) had already asked: nothing new was recorded. */
  created: boolean;
  email: string;
  message: string;
}

/**
 * Records interest in a product that has not launched, once per address and product and once per account and
 * product (the table's unique keys; a repeated or racing click inserts nothing and gets the same confirmation).
 */
export async function recordProductInterest(
  db: TDatabase,
  input: { productId: string; email?: string; user: { id: string; email: string } | null },
): Promise<TProductInterestResult> {
  const product = findProductByAppId(input.productId);
  if (!product) throw new AppError('BAD_REQUEST', 'There is no such product.');
  if (await isProductLaunched(db, product.appId)) {
    throw new AppError('CONFLICT', `${product.name} is available now: choose a plan on its page.`);
  }
  const email = (input.user?.email ?? input.email)?.toLowerCase();
  if (!email)
    throw new AppError('BAD_REQUEST', 'Enter your email address and we’ll tell you when it launches.');
  const inserted = await db
    .insert(schema.productInterest)
    .values({ appId: product.appId, userId: input.user?.id ?? null, email })
    .onConflictDoNothing()
    .returning({ id: schema.productInterest.id });
  const created = inserted.length > 0;
  // A visitor is told the same either way, so the form never reveals which addresses are already on the list.
  return {
    created,
    email,
    message:
      created || !input.user
        ? `Thanks — we’ll email ${email} when ${product.name} launches.`
        : `You’re already on the list — we’ll email ${email} when ${product.name} launches.`,
  };
}
