import type Stripe from 'stripe';
import { type PortalFeatures, portalFeatures, switchOptions } from '../billing/portal-options';
import type { Emulator } from '../core';
import { idOf } from '../views';
import { CARD_SCRIPT, cardFields, date, escapeHtml, money, page } from './layout';

function priceLabel(emulator: Emulator, price: Stripe.Price): string {
  const product = emulator.store.find('products', idOf(price.product) ?? '');
  const name = price.nickname ?? product?.name ?? price.id;
  const interval = price.recurring ? ` / ${price.recurring.interval}` : '';
  return `${name} · ${money(price.unit_amount ?? 0, price.currency)}${interval}`;
}

function subscriptionCard(
  emulator: Emulator,
  sessionId: string,
  features: PortalFeatures,
  sub: Stripe.Subscription,
): string {
  const item = sub.items.data[0];
  if (!item) return '';
  const price = emulator.store.find('prices', item.price.id) ?? item.price;
  const alternatives = switchOptions(emulator, features, price);
  const action = (path: string, label: string, testId: string, extra = '', cls = 'secondary') =>
    `<form method="post" action="/p/session/${sessionId}/${path}"><input type="hidden" name="subscription" value="${sub.id}">${extra}<button type="submit" class="${cls}" data-testid="${testId}">${escapeHtml(label)}</button></form>`;
  const status = sub.cancel_at_period_end
    ? `Cancels on ${date(item.current_period_end)}`
    : sub.status === 'trialing' && sub.trial_end
      ? `Trial ends ${date(sub.trial_end)}`
      : `Renews on ${date(item.current_period_end)}`;
  const switches = alternatives
    .map((alt) =>
      action(
        'switch',
        `Switch to ${priceLabel(emulator, alt)}`,
        `switch-${alt.lookup_key ?? alt.id}`,
        `<input type="hidden" name="price" value="${alt.id}">`,
      ),
    )
    .join('');
  const cancelOrRenew = !features.subscription_cancel.enabled
    ? ''
    : sub.cancel_at_period_end
      ? action('renew', 'Renew plan', 'renew-subscription')
      : action('cancel', 'Cancel plan', 'cancel-subscription', '', 'danger');
  return `<div class="card" data-testid="subscription" data-subscription-id="${sub.id}">
    <div class="row"><strong>${escapeHtml(priceLabel(emulator, price))}</strong><span class="pill ${sub.status}" data-testid="subscription-status">${escapeHtml(sub.status)}</span></div>
    <div class="muted">${escapeHtml(status)}</div>
    <div class="actions">${cancelOrRenew}${switches}</div>
  </div>`;
}

export function renderPortal(
  emulator: Emulator,
  session: Stripe.BillingPortal.Session,
  state: { error?: string; notice?: string } = {},
): string {
  const customer = emulator.store.get('customers', session.customer);
  const subs = emulator.store
    .all('subscriptions')
    .filter(
      (s) => idOf(s.customer) === customer.id && s.status !== 'canceled' && s.status !== 'incomplete_expired',
    )
    .reverse();
  const pmId = idOf(customer.invoice_settings.default_payment_method);
  const subPm = subs.map((s) => idOf(s.default_payment_method)).find((id) => id);
  const pm = emulator.store.find('payment_methods', pmId ?? subPm ?? '');
  const invoices = emulator.store
    .all('invoices')
    .filter((inv) => idOf(inv.customer) === customer.id && inv.status !== 'draft')
    .reverse()
    .slice(0, 10);
  const features = portalFeatures(emulator, session);
  const plans =
    subs.length > 0
      ? subs.map((s) => subscriptionCard(emulator, session.id, features, s)).join('')
      : '<div class="card muted" data-testid="no-subscriptions">No active subscriptions.</div>';
  const card = pm?.card
    ? `${escapeHtml(pm.card.brand.charAt(0).toUpperCase() + pm.card.brand.slice(1))} •••• ${escapeHtml(pm.card.last4)} · expires ${pm.card.exp_month}/${pm.card.exp_year}`
    : 'No card on file.';
  const cardForm = features.payment_method_update.enabled
    ? `<form method="post" action="/p/session/${session.id}/card" data-once>
      ${cardFields()}
      <button type="submit" class="full" data-testid="update-card">Update card</button>
    </form>`
    : '';
  const invoiceRows =
    invoices
      .map(
        (inv) =>
          `<div class="row" data-testid="invoice"><span>${escapeHtml(date(inv.created))} · ${escapeHtml(inv.number ?? inv.id)}</span><span>${money(inv.total, inv.currency)} <span class="pill">${escapeHtml(inv.status)}</span></span></div>`,
      )
      .join('') || '<div class="muted">No invoices yet.</div>';
  const body = `
<main class="wrap single">
  ${session.return_url ? `<a href="${escapeHtml(session.return_url)}" data-testid="return-link">← Return to ${escapeHtml(new URL(session.return_url).host)}</a>` : ''}
  <h1 style="margin-top:16px">Billing</h1>
  <div class="muted" data-testid="portal-customer">${escapeHtml(customer.email ?? customer.id)}</div>
  ${state.notice ? `<div class="notice" role="status" data-testid="notice">${escapeHtml(state.notice)}</div>` : ''}
  ${state.error ? `<div class="alert" role="alert" data-testid="error">${escapeHtml(state.error)}</div>` : ''}
  <h2>Current plan</h2>
  ${plans}
  <h2>Payment method</h2>
  <div class="card"><div data-testid="payment-method">${card}</div>${cardForm}</div>
  ${features.invoice_history.enabled ? `<h2>Invoice history</h2><div class="card">${invoiceRows}</div>` : ''}
</main>`;
  return page('Billing portal', body, CARD_SCRIPT);
}

export function renderInvoice(invoice: Stripe.Invoice): string {
  const lines = invoice.lines.data
    .map(
      (l) =>
        `<div class="row"><span>${escapeHtml(l.description)}</span><span>${money(l.amount, invoice.currency)}</span></div>`,
    )
    .join('');
  return page(
    `Invoice ${invoice.number ?? invoice.id}`,
    `<main class="wrap single"><div class="card"><h1>Invoice ${escapeHtml(invoice.number ?? invoice.id)}</h1>
    <div class="muted">Status: <span data-testid="invoice-status">${escapeHtml(invoice.status)}</span></div>${lines}
    <div class="row total"><span>Amount due</span><span>${money(invoice.amount_due, invoice.currency)}</span></div></div></main>`,
  );
}
