import { AppError } from '@omg/platform';
import { apiRoute } from '@/lib/api-route';
import { requireBillingManager } from '@/lib/billing/require-billing-manager';
import { db } from '@/lib/db';
import { previewSeatChange } from '@/lib/seats/preview-seat-change';
import { ZSeatChangeSchema } from '@/lib/seats/seat-change-target';
import { stripe } from '@/lib/stripe/client';

/** POST { extraSeats } → what the change would charge now, prorated (nothing changes); owners and admins. */
export const POST = apiRoute({ body: ZSeatChangeSchema }, async ({ session, body }) => {
  const account = await requireBillingManager(session);
  if (!account.organization) {
    throw new AppError('NOT_FOUND', 'Seats belong to a business account: switch to it in the header first.');
  }
  const preview = await previewSeatChange(db(), stripe(), {
    organizationId: account.organization.id,
    extraSeats: body.extraSeats,
  });
  return Response.json(preview);
});
