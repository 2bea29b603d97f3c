import type Stripe from 'stripe';
import { cancelSubscriptionNow } from '../billing/cancel-subscription';
import { attachPaymentMethod, createCardPaymentMethod, setDefaultPaymentMethod } from '../billing/cards';
import { portalFeatures, switchOptions } from '../billing/portal-options';
import { payOpenInvoices } from '../billing/subscription-lifecycle';
import { updateSubscription } from '../billing/update-subscription';
import type { Emulator } from '../core';
import { ApiError } from '../errors';
import { parseForm } from '../form';
import { page } from '../pages/layout';
import { renderPortal } from '../pages/portal';
import { idOf } from '../views';
import { cardFrom, field, html, type PageResponse, redirect } from './page-response';

function portalAction(
  emulator: Emulator,
  session: Stripe.BillingPortal.Session,
  action: string,
  form: Record<string, unknown>,
): string {
  const features = portalFeatures(emulator, session);
  const refuse = () =>
    new ApiError(403, 'invalid_request_error', 'This action is not enabled for this portal.');
  if (action === 'card') {
    if (!features.payment_method_update.enabled) throw refuse();
    const customer = emulator.store.get('customers', session.customer);
    const pm = attachPaymentMethod(
      emulator,
      createCardPaymentMethod(emulator, cardFrom(form), {
        email: customer.email,
        name: field(form, 'cardName') || null,
      }),
      customer.id,
    );
    setDefaultPaymentMethod(emulator, customer.id, pm.id);
    for (const sub of emulator.store.all('subscriptions')) {
      if (
        idOf(sub.customer) !== customer.id ||
        sub.status === 'canceled' ||
        sub.status === 'incomplete_expired'
      ) {
        continue;
      }
      const updated = updateSubscription(emulator, sub, {
        defaultPaymentMethod: pm.id,
        prorationBehavior: 'none',
        paymentBehavior: 'allow_incomplete',
      });
      payOpenInvoices(emulator, updated);
    }
    return 'Your card was updated.';
  }
  const sub = emulator.store.get('subscriptions', field(form, 'subscription'));
  if (idOf(sub.customer) !== session.customer) {
    throw new ApiError(403, 'invalid_request_error', 'Not your subscription.');
  }
  const cancel = features.subscription_cancel;
  if (action === 'cancel' || action === 'renew') {
    if (!cancel.enabled) throw refuse();
    if (action === 'cancel' && cancel.mode === 'immediately') {
      cancelSubscriptionNow(emulator, sub, {
        prorate: cancel.proration_behavior !== 'none',
        invoiceNow: cancel.proration_behavior === 'always_invoice',
      });
      return 'Your plan was canceled.';
    }
    const cancelAtPeriodEnd = action === 'cancel';
    updateSubscription(emulator, sub, {
      cancelAtPeriodEnd,
      prorationBehavior: 'none',
      paymentBehavior: 'allow_incomplete',
    });
    return cancelAtPeriodEnd
      ? 'Your plan will be canceled at the end of the billing period.'
      : 'Your plan will renew.';
  }
  if (action === 'switch') {
    const item = sub.items.data[0];
    const price =
      item && switchOptions(emulator, features, item.price).find((p) => p.id === field(form, 'price'));
    if (!item || !price) throw new ApiError(400, 'invalid_request_error', 'That plan is not available.');
    const configured = features.subscription_update.proration_behavior;
    updateSubscription(emulator, sub, {
      items: [{ id: item.id, price }],
      prorationBehavior:
        configured === 'always_invoice'
          ? 'always_invoice'
          : configured === 'none'
            ? 'none'
            : 'create_prorations',
      paymentBehavior: 'allow_incomplete',
    });
    return 'Your plan was updated.';
  }
  throw new ApiError(404, 'invalid_request_error', 'Unknown action.');
}

export function portalPage(
  emulator: Emulator,
  method: string,
  url: URL,
  sessionId: string,
  action: string | undefined,
  rawBody: string,
): PageResponse {
  const session = emulator.store.find('billing_portal_sessions', sessionId);
  if (!session)
    return html(page('Not found', '<main class="wrap single"><h1>Portal session not found</h1></main>'), 404);
  if (method === 'GET') {
    return html(
      renderPortal(emulator, session, {
        notice: url.searchParams.get('notice') ?? undefined,
        error: url.searchParams.get('error') ?? undefined,
      }),
    );
  }
  const back = `/p/session/${session.id}`;
  try {
    const notice = portalAction(emulator, session, action ?? '', parseForm(rawBody));
    return redirect(`${back}?notice=${encodeURIComponent(notice)}`);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    return redirect(`${back}?error=${encodeURIComponent(e.message)}`);
  }
}

/** The hosted pages: checkout (`/c/pay/:id`), portal (`/p/session/:id`) and invoices (`/i/:id`). */
