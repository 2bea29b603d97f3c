import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TRouteTable } from './route-server';

const APP_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../app');
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

type THandler = NonNullable<ReturnType<TRouteTable>>['handler'];

/** One route file of the app as Next.js serves it: its URL pattern ('/api/documents/[id]') and its handlers. */
export interface TAppRoute {
  pattern: string;
  handlers: Partial<Record<(typeof METHODS)[number], THandler>>;
}

/**
 * Every route.ts under src/app, imported, with the methods it exports — what the app serves, read from the files
 * themselves, so a test can refuse a route it has no row for (a new route must be given one).
 */
export async function loadAppRoutes(): Promise<TAppRoute[]> {
  const entries = await readdir(APP_DIR, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && e.name === 'route.ts')
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
  return Promise.all(
    files.map(async (file) => {
      const module = (await import(file)) as Record<string, unknown>;
      const handlers: TAppRoute['handlers'] = {};
      for (const method of METHODS) {
        if (typeof module[method] === 'function') handlers[method] = module[method] as THandler;
      }
      const pattern = `/${path.relative(APP_DIR, path.dirname(file)).split(path.sep).join('/')}`;
      return { pattern, handlers };
    }),
  );
}

/** Every "METHOD /pattern" the app answers. */
export const servedRoutes = (routes: TAppRoute[]) =>
  routes.flatMap((route) => Object.keys(route.handlers).map((method) => `${method} ${route.pattern}`));

/**
 * A route table for serveRoutes that dispatches as Next.js does: a static segment wins over a [param], which wins
 * over a catch-all; `[id]` passes a string, `[...id]` and `[[...id]]` the rest of the path as an array.
 */
export function appRouteTable(routes: TAppRoute[]): TRouteTable {
  const ranked = routes
    .map((route) => ({ route, segments: route.pattern.split('/').filter(Boolean) }))
    .sort((a, b) => rank(a.segments) - rank(b.segments));
  return (method, pathname) => {
    const parts = pathname.split('/').filter(Boolean);
    for (const { route, segments } of ranked) {
      const params = match(segments, parts);
      const handler = route.handlers[method as keyof TAppRoute['handlers']];
      if (params && handler) return { handler, params };
    }
    return null;
  };
}

/** Lower first: the number of dynamic segments, a catch-all counting as many. */
function rank(segments: string[]): number {
  return segments.reduce(
    (sum, s) => sum + (s.startsWith('[[') || s.startsWith('[...') ? 100 : s.startsWith('[') ? 1 : 0),
    0,
  );
}

function match(segments: string[], parts: string[]): Record<string, unknown> | null {
  const params: Record<string, unknown> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as string;
    const catchAll = /^\[\[?\.\.\.(\w+)\]\]?$/.exec(segment);
    if (catchAll) {
      const rest = parts.slice(i).map(decodeURIComponent);
      if (rest.length === 0 && !segment.startsWith('[[')) return null;
      params[catchAll[1] as string] = rest;
      return params;
    }
    const part = parts[i];
    if (part === undefined) return null;
    const param = /^\[(\w+)\]$/.exec(segment);
    if (param) params[param[1] as string] = decodeURIComponent(part);
    else if (segment !== part) return null;
  }
  return segments.length === parts.length ? params : null;
}
