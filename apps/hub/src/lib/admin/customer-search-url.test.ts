import { describe, expect, it } from 'vitest';
import { ZCustomerSearchQuerySchema } from './customer-search-query';
import { CUSTOMER_SEARCH_DEFAULTS, customerSearchParams, readCustomerSearch } from './customer-search-url';

/** What the API's schema answers for a query string: the search, or its first message. */
function schemaAnswer(query: string) {
  const parsed = ZCustomerSearchQuerySchema.safeParse(Object.fromEntries(new URLSearchParams(query)));
  return parsed.success
    ? { ok: true, search: parsed.data }
    : { ok: false, message: parsed.error.issues[0]?.message };
}

describe('readCustomerSearch (the search page reads its URL without zod)', () => {
  it.each([
    '',
    'q=ann',
    'q=%20%20Ann%20Lee%20%20',
    `q=${'a'.repeat(200)}`,
    'filter=past_due,over_quota',
    'filter=past_due,,migrated,',
    'filter=past_due,past_due,migrated,over_quota',
    'app=app_securevault&sort=email&dir=asc&page=3&size=100',
    'sort=plan&dir=desc&page=&size=',
    'page=%202%20',
    'page=1e2',
    'size=50.0',
    'q=ann&q=bob',
    'unknown=1',
  ])('accepts %j exactly as the API schema does', (query) => {
    const answer = readCustomerSearch(new URLSearchParams(query));
    expect(answer.ok).toBe(true);
    expect(answer).toEqual(schemaAnswer(query));
  });

  it.each([
    `q=${'a'.repeat(201)}`,
    `q=${'a'.repeat(4_097)}`,
    `size=${'1'.repeat(4_097)}`,
    'q=a%00b',
    'q=a%7Fb',
    'filter=past_due,late',
    'filter=past_due,trial_ending,migrated,over_quota,past_due',
    'app=app_nope',
    'sort=name',
    'dir=up',
    'page=abc',
    'page=1.5',
    'page=0',
    'page=-2',
    'page=Infinity',
    'page=10001',
    'size=30',
    'size=abc',
    'size=25.5',
    'q=%01&page=0',
    'sort=name&page=0',
  ])('refuses %j with the message the API gives', (query) => {
    const answer = readCustomerSearch(new URLSearchParams(query));
    expect(answer.ok).toBe(false);
    expect(answer).toEqual(schemaAnswer(query));
  });

  it('round-trips every search through its URL, defaults left out', () => {
    expect(customerSearchParams(CUSTOMER_SEARCH_DEFAULTS).toString()).toBe('');
    const search = {
      q: 'ann lee',
      filters: ['past_due', 'migrated'],
      app: 'app_iq',
      sort: 'plan',
      dir: 'asc',
      page: 4,
      pageSize: 50,
    } as const;
    const params = customerSearchParams({ ...search, filters: [...search.filters] });
    expect(readCustomerSearch(params)).toEqual({ ok: true, search });
    expect(schemaAnswer(params.toString())).toEqual({ ok: true, search });
  });
});
