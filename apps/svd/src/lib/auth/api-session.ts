import { db } from '../db';
import { env } from '../env';
import { findEntitledSession, type TEntitledSession } from './find-entitled-session';
import { findSvdSession, type TSvdSession } from './session';
import { readSessionCookie } from './session-cookie';

/** The session behind a route request's cookie, or null (apiRoute answers 401 for routes that need one). */
export function findApiSession(request: Request): Promise<TSvdSession | null> {
  return findSvdSession(db(), readSessionCookie(request, env().SVD_URL.startsWith('https://')));
}

/** The same session with its space's status read in the same statement (entitledApiRoute: `/api/usage`). */
export function findEntitledApiSession(request: Request): Promise<TEntitledSession | null> {
  return findEntitledSession(db(), readSessionCookie(request, env().SVD_URL.startsWith('https://')));
}
