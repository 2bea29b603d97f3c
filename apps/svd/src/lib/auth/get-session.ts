import { REQUEST_PATH_HEADER } from '@omg/platform';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { db } from '../db';
import { env } from '../env';
import { findEntitledSession, type TEntitledSession } from './find-entitled-session';
import { sessionCookieName } from './session';

export const isSecureOrigin = () => env().SVD_URL.startsWith('https://');

/**
 * The signed-in user's SVD session, or null, with its space's status (`status`: the layout's plan badge, the
 * vault's plan panel) read in the same statement. Read once per render: the layout and the page both ask, and
 * React's `cache` gives them the same answer (the Hub-session liveness check included) instead of two lookups;
 * outside a render, as in a route handler, every call reads.
 */
export const getSession = cache(async (): Promise<TEntitledSession | null> => {
  const jar = await cookies();
  return findEntitledSession(db(), jar.get(sessionCookieName(isSecureOrigin()))?.value);
});

/** The Hub's launch endpoint, which signs the user in if needed and hands them back to `returnTo`. */
export function hubLaunchUrl(returnTo: string): string {
  return `${env().HUB_URL}/launch/securevault?returnTo=${encodeURIComponent(returnTo)}`;
}

/**
 * SVD has no login form: a visitor without a session is bound (`/login/start`), goes through the Hub and comes
 * back to the page they asked for (path and query, as proxy.ts recorded it), or to `fallback`.
 */
export async function requireSession(fallback = '/vault'): Promise<TEntitledSession> {
  const session = await getSession();
  if (!session) {
    const returnTo = (await headers()).get(REQUEST_PATH_HEADER) ?? fallback;
    redirect(`/login/start?returnTo=${encodeURIComponent(returnTo)}`);
  }
  return session;
}
