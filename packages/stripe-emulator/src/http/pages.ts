import { runDue } from '../billing/scheduler';
import type { Emulator } from '../core';
import { page } from '../pages/layout';
import { renderInvoice } from '../pages/portal';
import { checkoutPage } from './checkout-page';
import { html, type PageResponse } from './page-response';
import { portalPage } from './portal-page';

export function handlePage(
  emulator: Emulator,
  method: string,
  url: URL,
  rawBody: string,
): PageResponse | null {
  const checkout = /^\/c\/pay\/([^/]+)(?:\/(promo))?$/.exec(url.pathname);
  const portal = /^\/p\/session\/([^/]+)(?:\/(cancel|renew|switch|card))?$/.exec(url.pathname);
  const invoice = /^\/i\/([^/]+)$/.exec(url.pathname);
  if (!checkout && !portal && !invoice) return null;
  runDue(emulator, emulator.now());
  let response: PageResponse;
  if (checkout?.[1]) response = checkoutPage(emulator, method, checkout[1], checkout[2], rawBody);
  else if (portal?.[1]) response = portalPage(emulator, method, url, portal[1], portal[2], rawBody);
  else {
    const found = emulator.store.find('invoices', invoice?.[1] ?? '');
    response = found
      ? html(renderInvoice(found))
      : html(page('Not found', '<h1>Invoice not found</h1>'), 404);
  }
  if (method === 'POST') emulator.save();
  return response;
}
