import { findProductByAppId, ZProductIdSchema } from '@omg/contract';
import { schema, type TDatabase } from '@omg/db';
import { AppError, CONTROL_CHARACTERS_MESSAGE, hasControlCharacters, ZTypedNameSchema } from '@omg/platform';
import { z } from 'zod';

const line = (label: string, max: number) =>
  ZTypedNameSchema.pipe(
    z
      .string()
      .trim()
      .min(1, `Enter your ${label}.`)
      .max(max, `Your ${label} is longer than ${max} characters.`),
  );

/** The Contact sales form. Text is stored as typed and only ever rendered as text (React escapes it). */
export const ZSalesInquirySchema = z.strictObject({
  productId: ZProductIdSchema,
  name: line('name', 120),
  email: z
    .string()
    .trim()
    .max(254, 'This email address is too long.')
    .toLowerCase()
    .pipe(z.email({ message: 'Enter a valid email address.' })),
  company: line('company', 160),
  seats: z
    .number({ message: 'Enter how many seats you need, as a number.' })
    .int('Enter a whole number of seats.')
    .min(1, 'Enter at least 1 seat.')
    .max(100_000, 'For more than 100,000 seats, say so in your message.'),
  // Several lines are fine in a message (newlines and tabs); other control characters (NUL, escape) are not.
  message: z
    .string()
    .trim()
    .min(1, 'Tell us a little about what you need.')
    .max(4000, 'Your message is longer than 4,000 characters.')
    .refine((v) => !hasControlCharacters(v.replace(/[\r\n\t]/g, ' ')), {
      message: CONTROL_CHARACTERS_MESSAGE,
    }),
});
export type TSalesInquiry = z.infer<typeof ZSalesInquirySchema>;

export const SALES_INQUIRY_RECEIVED = 'Thank you — we’ll be in touch within one business day.';

/** Records a Contact sales request for staff (hub."SalesInquiry"); the signed-in account when there is one. */
export async function recordSalesInquiry(
  db: TDatabase,
  input: TSalesInquiry & { userId: string | null },
): Promise<{ id: string }> {
  if (!findProductByAppId(input.productId)) throw new AppError('BAD_REQUEST', 'There is no such product.');
  const [row] = await db
    .insert(schema.salesInquiry)
    .values({
      appId: input.productId,
      userId: input.userId,
      name: input.name,
      email: input.email,
      company: input.company,
      seats: input.seats,
      message: input.message,
    })
    .returning({ id: schema.salesInquiry.id });
  if (!row) throw new AppError('INTERNAL', 'Your request could not be recorded. Please try again.');
  return row;
}
