import type { TAppId } from '@omg/contract';
import { schema, type TDatabase } from '@omg/db';
import { eq } from 'drizzle-orm';

/**
 * Whether a product can be used today: only an app with a launch URL in `hub."App"` can be opened after paying.
 * The one rule behind "Coming soon": the product page, `/checkout/start` and the checkout API all ask this
 * (through `getCheckoutOffer`), so a product that has not launched can never be bought.
 */
export async function isProductLaunched(db: TDatabase, appId: TAppId): Promise<boolean> {
  const [row] = await db
    .select({ launchUrl: schema.app.launchUrl })
    .from(schema.app)
    .where(eq(schema.app.id, appId));
  return Boolean(row?.launchUrl);
}
