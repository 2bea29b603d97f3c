import { createLaunchState, verifyLaunchToken } from '@omg/contract';
import { schema } from '@omg/db';
import { uniqueEmail } from '@omg/db/testing';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auth } from '@/lib/auth/auth';
import { GET } from './route';

const HUB = process.env.HUB_URL ?? 'http://localhost:3100';
const SVD = process.env.SVD_URL ?? 'http://localhost:3101';

async function signedInCookie(): Promise<{ cookie: string; userId: string; email: string }> {
  const email = uniqueEmail('launch');
  const response = await auth().api.signUpEmail({
    body: { email, password: 'launch-pass-123', name: 'Launch Tester' },
    asResponse: true,
  });
  const cookie =
    response.headers
      .getSetCookie()
      .find((c) => c.includes('session_token='))
      ?.split(';')[0] ?? '';
  const body = await response.json();
  return { cookie, userId: body.user.id, email };
}

function launch(slug: string, options: { cookie?: string; query?: string } = {}) {
  const headers = new Headers(options.cookie ? { cookie: options.cookie } : {});
  return GET(new Request(`${HUB}/launch/${slug}${options.query ?? ''}`, { headers }), {
    params: Promise.resolve({ slug }),
  });
}

function formField(html: string, name: string): string | null {
  return new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? null;
}

describe('Hub /launch/<slug> — issuing the hand-off', () => {
  it('sends a visitor without a session to log in, then back to the launch', async () => {
    const response = await launch('securevault', { query: '?returnTo=%2Fvault' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(
      `${HUB}/login?next=${encodeURIComponent('/launch/securevault?returnTo=%2Fvault')}`,
    );
  });

  it('sends a launch without a binding state by SVD’s /login/start first, keeping returnTo', async () => {
    const { cookie } = await signedInCookie();
    const valid = createLaunchState();
    const hostile = [
      '',
      '&state=',
      '&state=short',
      `&state=${'a'.repeat(44)}`,
      `&state=${'a'.repeat(42)}%00`,
      `&state=${'a'.repeat(42)}%2B`,
      `&state=${encodeURIComponent(`${valid} `)}`,
      `&state=${encodeURIComponent(`<${valid.slice(1)}`)}`,
    ];
    for (const extra of hostile) {
      const response = await launch('securevault', { cookie, query: `?returnTo=%2Fvault%3Fx%3D1${extra}` });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(
        `${SVD}/login/start?returnTo=${encodeURIComponent('/vault?x=1')}`,
      );
    }
  });

  it('posts a valid one-time token for the signed-in user to SVD’s /login, never in a URL', async () => {
    const { cookie, userId, email } = await signedInCookie();
    const state = createLaunchState();
    const response = await launch('securevault', {
      cookie,
      query: `?returnTo=%2Fvault%3Fx%3D1&state=${state}`,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    expect(html).toContain(`<form method="post" action="${SVD}/login">`);
    expect(formField(html, 'returnTo')).toBe('/vault?x=1');
    const token = formField(html, 'token') ?? '';
    const verified = await verifyLaunchToken(token, {
      secret: process.env.SSO_SECRET ?? '',
      issuer: HUB,
      audience: 'app_securevault',
    });
    expect(verified.ok).toBe(true);
    if (!verified.ok) return;
    expect(verified.claims).toMatchObject({
      sub: userId,
      email,
      name: 'Launch Tester',
      accountType: 'personal',
      nonce: state,
    });
    expect(verified.claims.exp - verified.claims.iat).toBeLessThanOrEqual(300);
    expect(verified.claims.sid).toEqual(expect.any(String));
    // The page is outside proxy.ts: the route's own policy names the nonce its auto-submit script carries, and
    // allows the form to post to SVD.
    const csp = response.headers.get('content-security-policy') ?? '';
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(html).toContain(`<script nonce="${nonce}">document.forms[0].submit();</script>`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(new RegExp(`form-action 'self' [^;]*${SVD}`));
  });

  it('records each token launch under its jti in hub."Launch" (metrics, timeline); a binding redirect is none', async () => {
    const { cookie, userId } = await signedInCookie();
    await launch('securevault', { cookie, query: '?returnTo=%2Fvault' });
    const response = await launch('securevault', { cookie, query: `?state=${createLaunchState()}` });
    const token = formField(await response.text(), 'token') ?? '';
    const verified = await verifyLaunchToken(token, {
      secret: process.env.SSO_SECRET ?? '',
      issuer: HUB,
      audience: 'app_securevault',
    });
    if (!verified.ok) throw new Error('expected a valid token');
    const { db } = await import('@/lib/db');
    const rows = await db().select().from(schema.launch).where(eq(schema.launch.userId, userId));
    expect(rows).toEqual([
      { id: verified.claims.jti, userId, appId: 'app_securevault', createdAt: expect.any(Date) },
    ]);
  });

  it('drops a returnTo that points anywhere but the app itself', async () => {
    const { cookie } = await signedInCookie();
    const html = await (
      await launch('securevault', {
        cookie,
        query: `?returnTo=https%3A%2F%2Fevil.example%2F&state=${createLaunchState()}`,
      })
    ).text();
    expect(formField(html, 'returnTo')).toBeNull();
    expect(formField(html, 'token')).not.toBeNull();
  });

  it('says "not available yet" for an app without a launch URL, and 404 for an unknown one', async () => {
    const { cookie } = await signedInCookie();
    const crm = await launch('crm', { cookie });
    expect(crm.status).toBe(404);
    expect(await crm.text()).toContain('OMG-CRM is not available yet');
    const unknown = await launch('nope', { cookie });
    expect(unknown.status).toBe(404);
  });
});
