import { AppError } from '@omg/platform';
import { apiRoute } from '@/lib/api-route';
import { getBillingAccount } from '@/lib/billing/get-billing-account';
import { requireBillingManager } from '@/lib/billing/require-billing-manager';
import { db } from '@/lib/db';
import { changeSeats } from '@/lib/seats/change-seats';
import { ZSeatChangeSchema } from '@/lib/seats/seat-change-target';
import { seatsOf } from '@/lib/seats/seats-of';
import { stripe } from '@/lib/stripe/client';

const personal = () =>
  new AppError('NOT_FOUND', 'Seats belong to a business account: switch to it in the header first.');

/** GET → the active business account's seats (every member may read them). */
export const GET = apiRoute({}, async ({ session }) => {
  const account = await getBillingAccount(session);
  if (!account.organization) throw personal();
  return Response.json(await seatsOf(db(), account.organization.id));
});

/** POST { extraSeats } → sets the seats bought beyond the plan's (owners and admins), prorated at once. */
export const POST = apiRoute({ body: ZSeatChangeSchema }, async ({ session, body }) => {
  const account = await requireBillingManager(session);
  if (!account.organization) throw personal();
  const result = await changeSeats(db(), stripe(), {
    organizationId: account.organization.id,
    extraSeats: body.extraSeats,
  });
  return Response.json(result);
});
