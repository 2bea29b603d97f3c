import { parseJsonBody } from '@omg/platform';
import { findLastPayment } from '@/lib/admin/find-last-payment';
import { findSupportTarget } from '@/lib/admin/find-support-target';
import { refundLastPayment, ZRefundLastPaymentSchema } from '@/lib/admin/refund-last-payment';
import { requireStaff } from '@/lib/admin/require-staff';
import { supportActorOf, ZCustomerParamsSchema } from '@/lib/admin/support-actor';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { stripe } from '@/lib/stripe/client';

/**
 * GET → { payment }: the customer's last payment as Stripe has it (amount, currency, what is still refundable,
 * the product it paid for), which the confirmation shows before anything is sent; null when they never paid.
 * Admin only, as the refund is.
 */
export const GET = apiRoute({ auth: false, params: ZCustomerParamsSchema }, async ({ request, params }) => {
  await requireStaff(request, { role: 'admin' });
  const target = await findSupportTarget(db(), params.id);
  return Response.json({ payment: await findLastPayment(db(), stripe(), target.id) });
});

/**
 * POST { chargeId, endAccess?, reason } → { refundId, refundedCents, currency, canceled, auditId }: refunds what is
 * left of that payment through Stripe (409 when it is no longer the last payment or is already refunded), and with
 * endAccess cancels its subscription now. Admin only; everyone else gets the console's 404.
 */
export const POST = apiRoute(
  { auth: false, params: ZCustomerParamsSchema },
  async ({ request, requestId, params }) => {
    const staff = await requireStaff(request, { role: 'admin' });
    const body = await parseJsonBody(request, ZRefundLastPaymentSchema);
    const actor = supportActorOf(staff, request, requestId);
    return Response.json(await refundLastPayment(db(), stripe(), actor, params.id, body));
  },
);
