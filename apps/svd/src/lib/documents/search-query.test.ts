import { describe, expect, it } from 'vitest';
import { parseSearch } from './search-query';

describe('parseSearch: the search box as words, never tsquery syntax', () => {
  it('every word a quoted prefix, all required', () => {
    expect(parseSearch('Kanga billa')).toEqual({
      words: ['kanga', 'billa'],
      tsQuery: "'kanga':* & 'billa':*",
    });
  });

  it('operators, quotes and backslashes separate words and vanish', () => {
    expect(parseSearch('&|!():*\'"\\')).toEqual({ words: [], tsQuery: null });
    expect(parseSearch("kanga:* | !'x' <-> (billa")).toEqual({
      words: ['kanga', 'x', 'billa'],
      tsQuery: "'kanga':* & 'x':* & 'billa':*",
    });
  });

  it('letters of any script and digits stay; repeats collapse; at most 16 words', () => {
    expect(parseSearch('Grüße GRÜSSE 日本 2026-12').words).toEqual(['grüße', 'grüsse', '日本', '2026', '12']);
    expect(parseSearch('ａｂｃ').words).toEqual(['abc']);
    expect(parseSearch('a a a').words).toEqual(['a']);
    expect(parseSearch(Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ')).words).toHaveLength(16);
  });
});
