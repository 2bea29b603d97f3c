import { toNextJsHandler } from 'better-auth/next-js';
import { auth } from '@/lib/auth/auth';
import { apiHandler } from '@/lib/logger';

/** better-auth's routes (sign-up, sign-in, sign-out, session), wrapped for request ids and JSON logs. */
export const GET = apiHandler((request) => toNextJsHandler(auth()).GET(request));
export const POST = apiHandler((request) => toNextJsHandler(auth()).POST(request));
