import { AppError } from '@omg/platform';
import { db } from '../db';
import { env } from '../env';
import { findSvdSession, type TSvdSession } from './session';
import { readSessionCookie } from './session-cookie';

/** For JSON routes: the caller's session, or 401 (the vault's API is session-authenticated). */
export async function requireApiSession(request: Request): Promise<TSvdSession> {
  const session = await findSvdSession(
    db(),
    readSessionCookie(request, env().SVD_URL.startsWith('https://')),
  );
  if (!session) {
    throw new AppError(
      'UNAUTHORIZED',
      'Your session has ended. Open SecureVault Docs again from your OMG portal.',
    );
  }
  return session;
}
