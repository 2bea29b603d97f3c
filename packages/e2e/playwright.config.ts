import path from 'node:path';
import { defineConfig } from '@playwright/test';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const hubUrl = process.env.E2E_HUB_URL ?? 'http://localhost:3100';
const svdUrl = process.env.E2E_SVD_URL ?? 'http://localhost:3101';
const next = path.join(repoRoot, 'node_modules/.bin/next');
/** `npm run screenshots` sets this: only the README's and landing page's pictures are taken, no test runs. */
const capture = Boolean(process.env.E2E_CAPTURE_SCREENSHOTS);
/**
 * The cluster stage of `npm run test:e2e` sets this (scripts/lib/cluster-e2e.ts): it started several instances of
 * each app behind nginx itself, and only the specs in specs/cluster run (project `cluster`), through the balancer.
 */
const cluster = Boolean(process.env.E2E_CLUSTER);

/**
 * Run through `npm run test:e2e` (or `npm test`), which prepares a throw-away database, builds both apps and
 * passes their URLs here. Debian's Chromium is used as installed; no browser is ever downloaded.
 */
export default defineConfig({
  testDir: capture ? './capture' : './specs',
  ...(capture ? { testMatch: '**/*.capture.ts' } : {}),
  outputDir: path.join(repoRoot, 'test-results'),
  // Screenshots to compare against live beside the specs, one folder per spec file, the same on every machine
  // (Debian's Chromium only, so no platform suffix); `npm run test:e2e -- --update-snapshots` rewrites them.
  snapshotPathTemplate: '{testDir}/../screenshots/{testFileName}/{arg}{ext}',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: {
    timeout: 10_000,
    // Up to 1% of pixels may differ: text anti-aliasing varies a little between runs; a moved block does not.
    toHaveScreenshot: { maxDiffPixelRatio: 0.01, animations: 'disabled', caret: 'hide', scale: 'css' },
  },
  reporter: [['list']],
  use: {
    baseURL: hubUrl,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  // The default run leaves the cluster's specs alone; the cluster stage runs only them.
  ...(cluster
    ? { projects: [{ name: 'cluster', testDir: './specs/cluster' }] }
    : { testIgnore: '**/cluster/**' }),
  webServer: cluster
    ? []
    : [
        {
          command: `${next} start --port ${new URL(hubUrl).port}`,
          cwd: path.join(repoRoot, 'apps/hub'),
          url: `${hubUrl}/api/health`,
          // The browser fixture plays the one proxy in front of the Hub: each test's X-Forwarded-For is its address.
          env: { TRUSTED_PROXY_HOPS: '1' },
          reuseExistingServer: false,
          timeout: 60_000,
          stdout: 'ignore',
          stderr: 'pipe',
        },
        {
          command: `${next} start --port ${new URL(svdUrl).port}`,
          cwd: path.join(repoRoot, 'apps/svd'),
          url: `${svdUrl}/api/health`,
          reuseExistingServer: false,
          timeout: 60_000,
          stdout: 'ignore',
          stderr: 'pipe',
        },
      ],
});
