import { clientAddressOf } from '@omg/platform';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { limitByAddress } from '@/lib/rate-limit/limit-by-address';
import { RATE_LIMITS } from '@/lib/rate-limit/rules';
import {
  recordSalesInquiry,
  SALES_INQUIRY_RECEIVED,
  ZSalesInquirySchema,
} from '@/lib/sales/record-sales-inquiry';

/** POST { productId, name, email, company, seats, message } → 201 { received: true, message }: Contact sales. */
export const POST = apiRoute(
  { auth: 'optional', body: ZSalesInquirySchema },
  async ({ request, session, body }) => {
    const limited = await limitByAddress(
      db(),
      RATE_LIMITS.salesInquiryPerAddress,
      clientAddressOf(request.headers),
    );
    if (limited) return limited;
    await recordSalesInquiry(db(), { ...body, userId: session?.user.id ?? null });
    return Response.json({ received: true, message: SALES_INQUIRY_RECEIVED }, { status: 201 });
  },
);
