/**
 * A price in cents as the pages print it ('$11.99'; null: 'Contact sales'). Its own module, apart from the catalog
 * and its zod schemas, so that a client component printing a price does not bring zod into the browser (31 KB
 * gzipped; the package is side-effect free, so the bundler keeps only the modules a page uses).
 */
export function formatPrice(priceCents: number | null): string {
  if (priceCents === null) return 'Contact sales';
  return `$${(priceCents / 100).toFixed(2)}`;
}
