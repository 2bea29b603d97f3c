import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { newAccount, signUp } from '../fixtures/accounts';
import { provisionByEmail } from '../fixtures/database';
import { launchVault } from '../fixtures/launch';
import { expect, test } from '../fixtures/test';

const MB = 1024 * 1024;

test('a large file goes through tus: pause and resume, then a reload mid-upload offers Resume, which continues where the server stopped', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const account = newAccount('resume');
  await signUp(page, account);
  const vault = await launchVault(page);

  // On disk, so choosing it again gives the browser the same file (name, size, modification time): the same
  // fingerprint, the same upload.
  const contents = randomBytes(20 * MB);
  const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'svd-resume-')), 'survey-scans.bin');
  await writeFile(file, contents);

  const requests: { method: string; url: string; offset: number | null }[] = [];
  vault.on('request', (request) => {
    if (!new URL(request.url()).pathname.startsWith('/api/uploads')) return;
    const offset = request.headers()['upload-offset'];
    requests.push({ method: request.method(), url: request.url(), offset: offset ? Number(offset) : null });
  });
  // 4 MB/s up: slow enough to pause and reload part-way through a 20 MB file.
  const cdp = await vault.context().newCDPSession(vault);
  await cdp.send('Network.enable');
  const throttle = (uploadThroughput: number) =>
    cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput,
    });
  await throttle(4 * MB);

  await vault.getByLabel('Files to upload').setInputFiles(file);
  const item = vault.getByTestId('upload-item');
  const state = item.getByTestId('upload-state');
  await expect(state).toHaveText(/^([1-9]\d?)%$/, { timeout: 20_000 });
  expect(requests.filter((r) => r.method === 'POST').map((r) => new URL(r.url).pathname)).toEqual([
    '/api/uploads/tus',
  ]);

  await item.getByRole('button', { name: 'Pause' }).click();
  await expect(state).toHaveText(/^Paused at \d+%$/);
  await item.getByRole('button', { name: 'Resume' }).click();
  await expect(state).toHaveText(/^([3-9]\d)%$/, { timeout: 30_000 });

  // The page goes away mid-upload (a reload, as after a crash or a closed laptop lid).
  await vault.reload();
  const interrupted = vault.getByTestId('interrupted-upload');
  await expect(interrupted).toContainText('survey-scans.bin stopped at');
  await expect(interrupted).toContainText('Choose the same file again to resume where it stopped.');
  const storedPercent = Number(/stopped at (\d+)%/.exec((await interrupted.textContent()) ?? '')?.[1]);
  expect(storedPercent).toBeGreaterThan(0);
  expect(storedPercent).toBeLessThan(100);

  await throttle(-1);
  requests.length = 0;
  const [chooser] = await Promise.all([
    vault.waitForEvent('filechooser'),
    interrupted.getByRole('button', { name: 'Resume' }).click(),
  ]);
  await chooser.setFiles(file);
  await expect(vault.getByTestId('upload-state')).toHaveText('Uploaded', { timeout: 60_000 });
  await expect(interrupted).toHaveCount(0);
  // Resumed, not restarted: no new upload was created; the browser asked where the upload stands (HEAD) and
  // sent the rest from there.
  expect(requests.filter((r) => r.method === 'POST')).toEqual([]);
  const resumedAt = requests.find((r) => r.method === 'PATCH')?.offset ?? 0;
  expect(resumedAt).toBeGreaterThan(0);
  expect(requests.some((r) => r.method === 'HEAD')).toBe(true);

  const row = vault.getByTestId('document-row');
  await expect(row.getByTestId('document-name')).toHaveText('survey-scans.bin');
  const [download] = await Promise.all([
    vault.waitForEvent('download'),
    row.getByRole('link', { name: 'Download' }).click(),
  ]);
  const saved = await readFile((await download.path()) ?? '');
  expect(createHash('sha256').update(saved).digest('hex')).toBe(
    createHash('sha256').update(contents).digest('hex'),
  );
});

test('a large upload the server refuses shows the server’s reason', async ({ page }) => {
  const account = newAccount('resume-refused');
  await signUp(page, account);
  await provisionByEmail(account.email, 'pro');
  const vault = await launchVault(page);
  await expect(vault.getByText('Files up to 1 GB', { exact: true })).toBeVisible();
  // The plan shrinks after the page was drawn: the page still allows 1 GB, the server checks the declared length.
  await provisionByEmail(account.email, 'starter');
  const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'svd-refused-')), 'archive.zip');
  await writeFile(file, Buffer.alloc(101 * MB));
  await vault.getByLabel('Files to upload').setInputFiles(file);
  await expect(vault.getByTestId('upload-state')).toHaveText(
    '“archive.zip” is 101 MB; the Starter plan allows files up to 100 MB.',
  );
  await expect(vault.getByTestId('interrupted-upload')).toHaveCount(0);
});
