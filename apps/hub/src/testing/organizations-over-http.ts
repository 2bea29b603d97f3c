import { serveOverHttp, type TServedOverHttp } from '@omg/platform/testing/serve-over-http';
import { signUpHubUser } from './billing-test-env';

type TRoute = (request: Request, context: { params: Promise<Record<string, unknown>> }) => Promise<Response>;
type TModule = Record<string, unknown>;

/** The organization routes by URL pattern, each with the module that holds its handlers. */
const ROUTES: [RegExp, string[], () => Promise<TModule>][] = [
  [/^\/api\/organizations$/, [], () => import('@/app/api/organizations/route')],
  [/^\/api\/active-organization$/, [], () => import('@/app/api/active-organization/route')],
  [/^\/api\/organizations\/([^/]+)$/, ['slug'], () => import('@/app/api/organizations/[slug]/route')],
  [
    /^\/api\/organizations\/([^/]+)\/invitations$/,
    ['slug'],
    () => import('@/app/api/organizations/[slug]/invitations/route'),
  ],
  [
    /^\/api\/organizations\/([^/]+)\/invitations\/([^/]+)$/,
    ['slug', 'invitationId'],
    () => import('@/app/api/organizations/[slug]/invitations/[invitationId]/route'),
  ],
  [
    /^\/api\/organizations\/([^/]+)\/members\/([^/]+)$/,
    ['slug', 'memberId'],
    () => import('@/app/api/organizations/[slug]/members/[memberId]/route'),
  ],
  [
    /^\/api\/organizations\/([^/]+)\/transfer$/,
    ['slug'],
    () => import('@/app/api/organizations/[slug]/transfer/route'),
  ],
  [
    /^\/api\/organizations\/([^/]+)\/leave$/,
    ['slug'],
    () => import('@/app/api/organizations/[slug]/leave/route'),
  ],
  [/^\/api\/invitations\/([^/]+)\/accept$/, ['id'], () => import('@/app/api/invitations/[id]/accept/route')],
  [
    /^\/api\/invitations\/([^/]+)\/decline$/,
    ['id'],
    () => import('@/app/api/invitations/[id]/decline/route'),
  ],
  [/^\/api\/auth\/(.+)$/, ['all'], () => import('@/app/api/auth/[...all]/route')],
];

/** The Hub's organization routes (and better-auth's) on a real HTTP server, as `next start` routes them. */
export async function serveOrganizationRoutes(origin: string): Promise<TServedOverHttp> {
  return serveOverHttp(
    async (request) => {
      const { pathname } = new URL(request.url);
      for (const [pattern, names, load] of ROUTES) {
        const match = pattern.exec(pathname);
        if (!match) continue;
        const handler = (await load())[request.method] as TRoute | undefined;
        if (!handler) return new Response('method not allowed', { status: 405 });
        const params = Object.fromEntries(
          names.map((name, index) => {
            const value = decodeURIComponent(match[index + 1] ?? '');
            return [name, name === 'all' ? value.split('/') : value];
          }),
        );
        return handler(request, { params: Promise.resolve(params) });
      }
      return new Response('no such route in this test', { status: 404 });
    },
    { hops: 0, origin },
  );
}

export interface TPerson {
  cookie: string;
  userId: string;
  email: string;
}

/** A client of the served routes: JSON in, status and JSON out, as the Hub's pages call them. */
export function organizationClient(server: TServedOverHttp, origin: string) {
  return async (
    method: string,
    path: string,
    person?: TPerson | null,
    body?: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> }> => {
    const headers: Record<string, string> = { origin };
    if (person) headers.cookie = person.cookie;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
}

export const signUp = (prefix: string): Promise<TPerson> => signUpHubUser(prefix);
