import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { db } from '../db';
import { auth } from './auth';
import { readHubSession, type THubSession } from './read-hub-session';

export type { THubSession };

/**
 * The signed-in user and their session, or null. Read once per render: the header, the email reminder and the page
 * each ask, and React's `cache` gives them the same answer instead of three lookups (outside a render, as in a
 * route handler, every call reads).
 */
export const getSession = cache(
  async (): Promise<THubSession | null> => readHubSession(auth(), db(), await headers()),
);

/** For pages behind login: sends a visitor to log in, then back to `returnTo`. */
export async function requireSession(returnTo: string): Promise<THubSession> {
  const session = await getSession();
  if (!session) redirect(`/login?next=${encodeURIComponent(returnTo)}`);
  return session;
}
