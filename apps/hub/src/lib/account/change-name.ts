import { z } from 'zod';
import { auth } from '../auth/auth';

/** The body of `POST /api/account/name`. */
export const ZChangeNameSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Enter your name.')
    .max(100, 'Use at most 100 characters.')
    // Control characters would end up in mail headers' display names and on other people's screens.
    .refine((name) => !/\p{Cc}/u.test(name), 'Use letters, numbers and punctuation only.'),
});
export type TChangeName = z.infer<typeof ZChangeNameSchema>;

/** Renames the signed-in user (core."User".name; SVD reads it from there). */
export async function changeName(headers: Headers, input: TChangeName): Promise<{ name: string }> {
  await auth().api.updateUser({ body: { name: input.name }, headers });
  return { name: input.name };
}
