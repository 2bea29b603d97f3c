import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createLaunchState, isLaunchState } from './launch-state';
import { issueLaunchToken, verifyLaunchToken } from './sso';

const secret = 'a-launch-state-test-secret-of-enough-bytes';
const base = {
  secret,
  issuer: 'http://hub.test',
  audience: 'app_securevault' as const,
  user: { id: 'u1', email: 'a@example.test', name: null, accountType: 'personal' as const },
  sessionId: 's1',
};

describe('launch state (the hand-off’s browser binding)', () => {
  it('is 32 random bytes in base64url, different every time', () => {
    const states = new Set(Array.from({ length: 200 }, createLaunchState));
    expect(states.size).toBe(200);
    for (const state of states) expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it.each([
    null,
    undefined,
    42,
    ['a'.repeat(43)],
    '',
    'a'.repeat(42),
    'a'.repeat(44),
    `${'a'.repeat(42)}=`,
    `${'a'.repeat(42)}+`,
    `${'a'.repeat(42)}\n`,
    ` ${'a'.repeat(42)}`,
  ])('refuses %j as a state', (value) => {
    expect(isLaunchState(value)).toBe(false);
  });

  it('is signed into the token as `nonce` and comes back from verification', async () => {
    const nonce = createLaunchState();
    const { token } = await issueLaunchToken({ ...base, nonce });
    const verified = await verifyLaunchToken(token, base);
    expect(verified.ok && verified.claims.nonce).toBe(nonce);
    const unbound = await verifyLaunchToken((await issueLaunchToken(base)).token, base);
    expect(unbound.ok && unbound.claims.nonce).toBeUndefined();
  });

  it('refuses to issue, and refuses to accept, a token whose nonce is not a state', async () => {
    await expect(issueLaunchToken({ ...base, nonce: 'short' })).rejects.toThrow(/nonce/);
    const iat = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({
      iss: base.issuer,
      aud: base.audience,
      sub: 'u1',
      email: 'a@example.test',
      name: null,
      accountType: 'personal',
      sid: 's1',
      jti: 'j1',
      iat,
      exp: iat + 60,
      nonce: '<script>',
    })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(secret));
    expect(await verifyLaunchToken(forged, base)).toMatchObject({ ok: false, reason: 'invalid_claims' });
  });
});
