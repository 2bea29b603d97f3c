/**
 * `npm run screenshots`: the real screenshots the landing page and the README show. Runs the browser suite's
 * setup (`npm run test:e2e`: throw-away database, local Stripe, production builds of both apps) with only the
 * capture walk in packages/e2e/capture, which writes JPEGs into apps/hub/public/screenshots. Commit them.
 * The apps use the shared test ports, so run it as the browser tests are run.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './lib/env-file';

const child = spawn(
  path.join(REPO_ROOT, 'node_modules/.bin/tsx'),
  // The spec's name as the filter: only the capture walk runs (a filter also skips test:e2e's cluster stage).
  ['scripts/test.ts', 'e2e', 'app-screenshots', ...process.argv.slice(2)],
  { cwd: REPO_ROOT, stdio: 'inherit', env: { ...process.env, E2E_CAPTURE_SCREENSHOTS: '1' } },
);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
