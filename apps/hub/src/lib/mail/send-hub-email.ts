import type { TDatabase, TTransaction } from '@omg/db';
import { enqueueEmail, type TSendCondition } from '@omg/mail';
import { render, toPlainText } from '@react-email/render';
import type { ReactElement } from 'react';
import { db } from '../db';
import { env } from '../env';

export interface THubEmail {
  /** Which template, recorded on the outbox row. */
  kind: string;
  to: string;
  userId?: string | null;
  subject: string;
  body: ReactElement;
  /** One mail per thing that happened, however often it is reported (see `enqueueEmail`). */
  idempotencyKey?: string;
  /** The sender; defaults to MAIL_FROM. Scripts pass it, as they run without the Hub's whole environment. */
  from?: string;
  /** A reminder queued ahead: sent no earlier than this, and only if `sendIf` still holds then (see @omg/mail). */
  sendAfter?: Date;
  sendIf?: TSendCondition;
}

/**
 * Renders a Hub mail (HTML and its plain-text part) and puts it in the outbox and the mail queue. Pass the
 * transaction of what caused the mail so both commit together; the mail worker sends it.
 */
export async function sendHubEmail(
  mail: THubEmail,
  database: TDatabase | TTransaction = db(),
): Promise<string> {
  const html = await render(mail.body);
  return enqueueEmail(database, {
    kind: mail.kind,
    userId: mail.userId ?? null,
    from: mail.from ?? env().MAIL_FROM,
    to: mail.to,
    subject: mail.subject,
    html,
    text: toPlainText(html),
    idempotencyKey: mail.idempotencyKey ?? null,
    sendAfter: mail.sendAfter ?? null,
    sendIf: mail.sendIf ?? null,
  });
}
