import type { Emulator } from '../core';
import type { Params } from '../params';

export interface ApiRequest {
  emulator: Emulator;
  params: Params;
  path: Record<string, string>;
}

export type Handler = (req: ApiRequest) => unknown;

interface Route {
  method: string;
  /** `POST /v1/subscriptions/{}`: the SDK operation this route serves (see `schema/`). */
  operation: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

/** Method + path matching with `:name` segments; nothing more is needed for Stripe's REST layout. */
export class Router {
  private routes: Route[] = [];

  on(method: 'GET' | 'POST' | 'DELETE', path: string, handler: Handler): this {
    const names: string[] = [];
    const source = path.replace(/:([a-z_]+)/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    const operation = `${method} ${path.replace(/:[a-z_]+/g, '{}')}`;
    this.routes.push({ method, operation, pattern: new RegExp(`^${source}$`), names, handler });
    return this;
  }

  operations(): string[] {
    return this.routes.map((route) => route.operation);
  }

  match(
    method: string,
    pathname: string,
  ): { handler: Handler; path: Record<string, string>; operation: string } | null {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const m = route.pattern.exec(pathname);
      if (!m) continue;
      const path: Record<string, string> = {};
      route.names.forEach((name, i) => {
        path[name] = decodeURIComponent(m[i + 1] ?? '');
      });
      return { handler: route.handler, path, operation: route.operation };
    }
    return null;
  }
}
