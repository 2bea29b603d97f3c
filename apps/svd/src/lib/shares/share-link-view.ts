import type { schema } from '@omg/db';
import { AppError } from '@omg/platform';
import { z } from 'zod';
import { MAX_SHARE_PASSWORD_LENGTH } from './share-password';

export const DEFAULT_SHARE_DAYS = 7;
export const MAX_SHARE_DAYS = 90;
export const MAX_DOWNLOAD_LIMIT = 10_000;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * POST /api/shares: a document or a folder (exactly one). Expiry is required by the product; left out it is the
 * default (7 days from now).
 */
export const ZCreateShareLinkSchema = z
  .object({
    documentId: z.string().uuid('That document does not exist.').optional(),
    folderId: z.string().uuid('That folder does not exist.').optional(),
    expiresAt: z.iso
      .datetime({ offset: true, error: 'Give the expiry as a date and time (ISO 8601).' })
      .optional(),
    password: z
      .string()
      .max(MAX_SHARE_PASSWORD_LENGTH, `A link password has at most ${MAX_SHARE_PASSWORD_LENGTH} characters.`)
      .nullish(),
    downloadLimit: z
      .number()
      .int('The download limit is a whole number.')
      .min(1, 'A download limit is at least 1 (leave it empty for no limit).')
      .max(MAX_DOWNLOAD_LIMIT, `A download limit is at most ${MAX_DOWNLOAD_LIMIT}.`)
      .nullish(),
  })
  .refine((value) => Boolean(value.documentId) !== Boolean(value.folderId), {
    error: 'Share either a document or a folder.',
  });
export type TCreateShareLink = z.infer<typeof ZCreateShareLinkSchema>;

/** `/api/shares/[id]`: an id that is not a UUID is as missing as an unknown one. */
export const ZShareLinkParamsSchema = z.object({ id: z.string().uuid('That link does not exist.') });

/** What a recipient sends with a link: the password, when it has one. */
export const ZShareAccessSchema = z.object({ password: z.string().max(100_000).nullish() });

/** The expiry a request asked for, refused unless it lies between a minute and MAX_SHARE_DAYS days ahead. */
export function shareExpiry(expiresAt: string | undefined, now: Date): Date {
  if (expiresAt === undefined) return new Date(now.getTime() + DEFAULT_SHARE_DAYS * DAY_MS);
  const at = new Date(expiresAt);
  if (at.getTime() <= now.getTime() + 60_000)
    throw new AppError('BAD_REQUEST', 'The expiry must be in the future.');
  if (at.getTime() > now.getTime() + MAX_SHARE_DAYS * DAY_MS)
    throw new AppError('BAD_REQUEST', `A link expires at most ${MAX_SHARE_DAYS} days from now.`);
  return at;
}

export type TShareLinkStatus = 'active' | 'expired' | 'revoked' | 'exhausted' | 'in_trash';

/** A link's state now; revoked first (the owner's act), then exhausted, expired, and a trashed document last. */
export function shareLinkStatus(
  link: Pick<
    typeof schema.shareLink.$inferSelect,
    'revokedAt' | 'downloadLimit' | 'downloadCount' | 'expiresAt'
  >,
  documentTrashed: boolean,
  now: Date,
): TShareLinkStatus {
  if (link.revokedAt) return 'revoked';
  if (link.downloadLimit !== null && link.downloadCount >= link.downloadLimit) return 'exhausted';
  if (link.expiresAt.getTime() <= now.getTime()) return 'expired';
  if (documentTrashed) return 'in_trash';
  return 'active';
}

export interface TShareLinkView {
  id: string;
  kind: 'document' | 'folder';
  documentId: string | null;
  folderId: string | null;
  targetName: string;
  /** The document's size; null for a folder (its contents change). */
  sizeBytes: number | null;
  createdBy: string;
  createdByEmail: string | null;
  createdAt: string;
  expiresAt: string;
  hasPassword: boolean;
  downloadLimit: number | null;
  downloadCount: number;
  revokedAt: string | null;
  status: TShareLinkStatus;
}

/** The one refusal of every public share answer: unknown, expired, revoked, exhausted, trashed, wrong password. */
export const linkNotAvailable = () => new AppError('NOT_FOUND', 'This link is not available.');

/** `/api/shares/public/[token]`: any string; one that is not a token we issue is answered as an unknown one. */
export const ZSharePublicParamsSchema = z.object({ token: z.string() });
