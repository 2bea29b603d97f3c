import path from 'node:path';
import type { NextConfig } from 'next';

const repoRoot = path.resolve(import.meta.dirname, '../..');

// `npm run bench -- --profile` builds with BENCH_READABLE_BUILD=1 so that V8 CPU profiles of `next start` name our
// functions: the server bundles are left unminified (the browser's are minified as always). Nothing else sets it, so
// CI and production build exactly the configuration below without the `experimental` key.
const readableServer =
  process.env.BENCH_READABLE_BUILD === '1'
    ? {
        experimental: {
          serverMinification: false,
          turbopackMinify: { server: false, edge: false, client: true },
        },
      }
    : {};

const config: NextConfig = {
  transpilePackages: ['@omg/billing', '@omg/contract', '@omg/db', '@omg/mail', '@omg/platform'],
  serverExternalPackages: ['pg', 'pg-boss', 'pino', 'nodemailer'],
  outputFileTracingRoot: repoRoot,
  turbopack: { root: repoRoot },
  poweredByHeader: false,
  ...readableServer,
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Referrer-Policy', value: 'no-referrer' },
        ],
      },
    ];
  },
};

export default config;
