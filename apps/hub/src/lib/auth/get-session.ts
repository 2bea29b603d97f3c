import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { auth } from './auth';

export type THubSession = NonNullable<Awaited<ReturnType<ReturnType<typeof auth>['api']['getSession']>>>;

/** The signed-in user and their session, or null. */
export async function getSession(): Promise<THubSession | null> {
  return auth().api.getSession({ headers: await headers() });
}

/** For pages behind login: sends a visitor to log in, then back to `returnTo`. */
export async function requireSession(returnTo: string): Promise<THubSession> {
  const session = await getSession();
  if (!session) redirect(`/login?next=${encodeURIComponent(returnTo)}`);
  return session;
}
