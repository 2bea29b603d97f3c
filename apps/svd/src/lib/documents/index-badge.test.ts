import { describe, expect, it } from 'vitest';
import { indexBadge } from './index-badge';

describe('indexBadge: the badge says the truth (issue 16)', () => {
  it('names each state', () => {
    expect(indexBadge('pending', null).label).toBe('Indexing…');
    expect(indexBadge('indexed', null).label).toBe('Indexed');
    expect(indexBadge('no_text', null).label).toBe('No text');
    const spent = indexBadge('not_indexed', "Not indexed: this month's 50 processing units are used up");
    expect(spent).toMatchObject({ label: 'Not indexed: units spent', tone: 'warn' });
    expect(spent.detail).toMatch(/units are used up/);
  });

  it('a failure names its reason, once', () => {
    expect(indexBadge('failed', 'could not be indexed: PDF is encrypted')).toMatchObject({
      label: 'Could not be indexed: PDF is encrypted',
      tone: 'error',
    });
    expect(indexBadge('failed', null).label).toBe('Could not be indexed: the file could not be read');
  });

  it('an unknown state claims none of the others', () => {
    expect(indexBadge('something-new', null).label).toBe('Not indexed');
  });
});
