import { describe, expect, it } from 'vitest';
import { auth } from '@/lib/auth/auth';
import { env } from '@/lib/env';

describe('better-auth trustedOrigins', () => {
  // Its own origin check (and its callback URL check) must agree with apiRoute's: the Hub's origin, nothing else.
  it("is the Hub's origin only", () => {
    expect(auth().options.trustedOrigins).toEqual([env().HUB_URL]);
  });
});
