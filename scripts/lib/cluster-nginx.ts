/**
 * The load balancer of `npm run cluster` and of the browser suite's cluster stage: Debian's nginx, round-robin over
 * the instances of each app, configured entirely inside a temp folder (no root paths: pid, logs and buffers live
 * there), so it runs beside anything else on the machine.
 */
import { existsSync } from 'node:fs';

export const NGINX_BIN = process.env.NGINX_BIN ?? '/usr/sbin/nginx';

export interface TClusterInstance {
  /** hub-1, hub-2, svd-1 … : what the access log and the apps' own log lines call it. */
  name: string;
  app: 'hub' | 'svd';
  port: number;
  /** Where the instance itself answers (loopback only): tests that must pick an instance go here. */
  url: string;
}

export interface TBalancedApp {
  app: 'hub' | 'svd';
  /** The public port browsers use (HUB_URL / SVD_URL). */
  port: number;
  instances: TClusterInstance[];
}

/** One access-log line per request: `<instance> <status> <method> <path>`; the instance first, for counting. */
export const ACCESS_LOG_FORMAT = '$upstream_instance $status $request_method $uri';

export function assertNginxInstalled(): void {
  if (!existsSync(NGINX_BIN)) {
    throw new Error(
      `nginx is not installed (${NGINX_BIN}). Install Debian's package: apt-get install nginx (.ci/run does this when it is missing), or set NGINX_BIN.`,
    );
  }
}

/**
 * nginx.conf for the balancer. Each request goes to the next instance in turn (nginx balances per request, also on
 * a browser's kept-alive connection), carries the client's address appended to X-Forwarded-For (so the apps run
 * with TRUSTED_PROXY_HOPS=1), the original Host and the scheme, and streams both ways: uploads reach SVD as they
 * arrive (SVD checks the declared size and reads the raw body itself), answers reach the browser as they come.
 * The `X-Instance` response header and the access log name the instance that answered.
 */
export function renderNginxConfig(options: {
  dir: string;
  apps: TBalancedApp[];
  /** Listen on ::1 as well as 127.0.0.1 (browsers and Node try ::1 first for `localhost`). */
  ipv6: boolean;
}): string {
  const { dir, apps } = options;
  // The last address is the instance that answered (a request nginx had to retry lists every one it tried).
  const names = apps
    .flatMap((a) => a.instances)
    .map((i) => `    "~127\\.0\\.0\\.1:${i.port}$" ${i.name};`)
    .join('\n');
  const upstreams = apps
    .map(
      (a) => `  upstream ${a.app} {
${a.instances.map((i) => `    server 127.0.0.1:${i.port} max_fails=0;`).join('\n')}
    keepalive 16;
    # Below Node's own 5 s keep-alive: nginx never reuses a connection the instance is closing (which would
    # fail that request or send it on to the next instance).
    keepalive_timeout 4s;
  }`,
    )
    .join('\n\n');
  const servers = apps
    .map(
      (a) => `  server {
    listen 127.0.0.1:${a.port};${options.ipv6 ? `\n    listen [::1]:${a.port};` : ''}
    location / {
      proxy_pass http://${a.app};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      add_header X-Instance $upstream_instance always;
    }
  }`,
    )
    .join('\n\n');
  return `# Written by scripts/lib/cluster-nginx.ts for one run; everything it writes stays in this folder.
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;

events {
  worker_connections 1024;
}

http {
  log_format cluster '${ACCESS_LOG_FORMAT}';
  access_log ${dir}/access.log cluster;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;

  # Uploads are limited by SVD's plans, not here; they stream to the app instead of waiting in a temp file.
  client_max_body_size 0;
  proxy_request_buffering off;
  proxy_buffering off;
  proxy_read_timeout 120s;
  proxy_send_timeout 120s;
  server_tokens off;

  map $upstream_addr $upstream_instance {
    default $upstream_addr;
${names}
  }

${upstreams}

${servers}
}
`;
}

/** Requests per instance in an access log written with ACCESS_LOG_FORMAT (lines nginx answered itself: `-`). */
export function countRequestsPerInstance(accessLog: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of accessLog.split('\n')) {
    const name = line.split(' ')[0];
    if (name) counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}
