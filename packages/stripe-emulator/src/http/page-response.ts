import { parseExpiry } from '../pages/layout';

export interface PageResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export const html = (body: string, status = 200): PageResponse => ({
  status,
  headers: { 'content-type': 'text/html; charset=utf-8' },
  body,
});
export const redirect = (location: string): PageResponse => ({
  status: 303,
  headers: { location },
  body: '',
});

export function field(form: Record<string, unknown>, name: string): string {
  const value = form[name];
  return typeof value === 'string' ? value : '';
}

export function cardFrom(form: Record<string, unknown>) {
  const expiry = parseExpiry(field(form, 'cardExpiry'));
  return {
    number: field(form, 'cardNumber'),
    expMonth: expiry.month,
    expYear: expiry.year,
    cvc: field(form, 'cardCvc').trim(),
  };
}
