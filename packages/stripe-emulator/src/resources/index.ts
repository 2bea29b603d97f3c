import type { Router } from '../http/router';
import { registerBillingPortal } from './billing-portal';
import { registerBillingPortalConfigurations } from './billing-portal-configurations';
import { registerCheckoutSessions } from './checkout-sessions';
import { registerCoupons } from './coupons';
import { registerCustomers } from './customers';
import { registerEvents } from './events';
import { registerInvoicePayments } from './invoice-payments';
import { registerInvoices } from './invoices';
import { registerPaymentMethods } from './payment-methods';
import { registerPrices } from './prices';
import { registerProducts } from './products';
import { registerPromotionCodes } from './promotion-codes';
import { registerRefunds } from './refunds';
import { registerSubscriptions } from './subscriptions';
import { registerWebhookEndpoints } from './webhook-endpoints';

export function registerApi(router: Router): Router {
  for (const register of [
    registerCustomers,
    registerProducts,
    registerPrices,
    registerCoupons,
    registerPromotionCodes,
    registerCheckoutSessions,
    registerSubscriptions,
    registerInvoices,
    registerInvoicePayments,
    registerRefunds,
    registerBillingPortal,
    registerBillingPortalConfigurations,
    registerEvents,
    registerWebhookEndpoints,
    registerPaymentMethods,
  ]) {
    register(router);
  }
  return router;
}
