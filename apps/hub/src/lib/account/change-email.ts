import { AppError } from '@omg/platform';
import { isAPIError } from 'better-auth/api';
import { createElement } from 'react';
import { z } from 'zod';
import { EmailChangeNoticeEmail, emailChangeNoticeSubject } from '@/emails/email-change-notice-email';
import { auth } from '../auth/auth';
import { PASSWORD_MAX_LENGTH } from '../auth/password-policy';
import { db } from '../db';
import { env } from '../env';
import { sendHubEmail } from '../mail/send-hub-email';

/** The body of `POST /api/account/email`. */
export const ZChangeEmailSchema = z.object({
  newEmail: z
    .string()
    .trim()
    .toLowerCase()
    .max(254, 'Enter a valid email address.')
    .pipe(z.email('Enter a valid email address.')),
  currentPassword: z
    .string()
    .min(1, 'Enter your current password.')
    .max(PASSWORD_MAX_LENGTH, 'Your current password is incorrect.'),
});
export type TChangeEmail = z.infer<typeof ZChangeEmailSchema>;

/** Per account: each request mails two addresses, one of them anyone's. */
export const CHANGE_EMAIL_LIMIT = { name: 'change-email', limit: 5, windowSeconds: 60 * 60 } as const;

/** The one answer, whether or not the new address already has an account (it must not tell). */
export const changeEmailSentMessage = (newEmail: string) =>
  `We sent a link to ${newEmail}. Your sign-in email changes when you open it; until then, keep using your current one.`;

/**
 * Starts a change of the signed-in user's email: the password proves it is the owner (a stolen session alone
 * cannot move the account), better-auth mails a link to the new address (the Hub's verification mail sees the
 * address differs and sends the "confirm your new address" mail), and the current address is told. A new address
 * that already belongs to an account gets nothing and the answer is the same (better-auth's own rule); the
 * notice to the current address goes out either way.
 */
export async function changeEmail(
  headers: Headers,
  user: { id: string; email: string },
  input: TChangeEmail,
): Promise<{ message: string }> {
  if (input.newEmail === user.email.toLowerCase()) {
    throw new AppError('BAD_REQUEST', 'That is already your email address.', {
      details: { field: 'newEmail' },
    });
  }
  try {
    await auth().api.verifyPassword({ body: { password: input.currentPassword }, headers });
  } catch (error) {
    // better-auth has two APIError classes (its own and better-call's), and a bundle may hold copies of each.
    if (isAPIError(error)) {
      throw new AppError('BAD_REQUEST', 'Your current password is incorrect.', {
        details: { field: 'currentPassword' },
      });
    }
    throw error;
  }
  await auth().api.changeEmail({
    body: { newEmail: input.newEmail, callbackURL: '/account?email=changed' },
    headers,
  });
  await sendHubEmail(
    {
      kind: 'email-change-notice',
      to: user.email,
      userId: user.id,
      subject: emailChangeNoticeSubject,
      body: createElement(EmailChangeNoticeEmail, {
        newEmail: input.newEmail,
        accountUrl: `${env().HUB_URL}/account`,
      }),
    },
    db(),
  );
  return { message: changeEmailSentMessage(input.newEmail) };
}
