import { applyPromotionCode, completeCheckout } from '../billing/checkout';
import type { Emulator } from '../core';
import { ApiError } from '../errors';
import { parseForm } from '../form';
import { renderCheckout, renderClosedCheckout } from '../pages/checkout';
import { page } from '../pages/layout';
import { cardFrom, field, html, type PageResponse, redirect } from './page-response';

export function checkoutPage(
  emulator: Emulator,
  method: string,
  sessionId: string,
  action: string | undefined,
  rawBody: string,
): PageResponse {
  const session = emulator.store.find('checkout_sessions', sessionId);
  if (!session)
    return html(
      page('Not found', '<main class="wrap single"><h1>Checkout session not found</h1></main>'),
      404,
    );
  if (session.status !== 'open') return html(renderClosedCheckout(session));
  if (method === 'GET') return html(renderCheckout(emulator, session));
  const form = parseForm(rawBody);
  if (action === 'promo') {
    try {
      const updated = applyPromotionCode(emulator, session.id, field(form, 'code'));
      return html(renderCheckout(emulator, updated, { notice: 'Promotion code applied.' }));
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      return html(renderCheckout(emulator, session, { error: e.message }), e.status);
    }
  }
  try {
    const completed = completeCheckout(emulator, session.id, {
      email: field(form, 'email'),
      name: field(form, 'cardName'),
      card: cardFrom(form),
    });
    if (!completed.success_url) {
      return html(
        page(
          'Thanks',
          '<main class="wrap single"><div class="card"><h1 data-testid="checkout-complete">Thanks for subscribing</h1></div></main>',
        ),
      );
    }
    return redirect(completed.success_url.replace(/\{CHECKOUT_SESSION_ID\}/g, completed.id));
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    return html(
      renderCheckout(emulator, session, { error: e.message, email: field(form, 'email') }),
      e.status,
    );
  }
}
