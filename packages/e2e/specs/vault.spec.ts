import { readFile } from 'node:fs/promises';
import { newAccount, signUp } from '../fixtures/accounts';
import { provisionByEmail } from '../fixtures/database';
import { launchVault } from '../fixtures/launch';
import { expect, test } from '../fixtures/test';

test('launch from the Hub, upload with progress, see usage move; a plan provisioned by SQL applies on reload', async ({
  page,
}) => {
  const account = newAccount('vault');
  await signUp(page, account);
  const vault = await launchVault(page);

  await expect(vault.getByTestId('header-plan-badge')).toHaveText('Free trial, 14 days left');
  await expect(vault.getByTestId('storage-meter-text')).toHaveText('0 B of 1 GB');
  await expect(vault.getByTestId('empty-state')).toBeVisible();

  const contents = Buffer.alloc(3 * 1024 * 1024, 'quarterly report about kangaroo logistics\n');
  await vault
    .getByLabel('Files to upload')
    .setInputFiles({ name: 'Grüße <report>.txt', mimeType: 'text/plain', buffer: contents });
  const item = vault.getByTestId('upload-item');
  await expect(item.getByRole('progressbar')).toBeVisible();
  await expect(item.getByTestId('upload-state')).toHaveText('Uploaded', { timeout: 30_000 });

  const row = vault.getByTestId('document-row');
  await expect(row.getByTestId('document-name')).toHaveText('Grüße <report>.txt');
  // The upload answered once the file was stored; the worker (`npm run worker`) reads its text afterwards, and the
  // page follows along without a reload.
  await expect(row.getByTestId('index-status')).toHaveText('Indexing…');
  await expect(vault.getByTestId('storage-meter-text')).toHaveText('3 MB of 1 GB');
  await expect(row.getByTestId('index-status')).toHaveText('Indexed', { timeout: 30_000 });
  await expect(vault.getByTestId('units-meter-text')).toHaveText('31 of 50');

  await vault.getByLabel('Search documents').fill('kangaroo');
  await vault.getByRole('button', { name: 'Apply' }).click();
  await expect(vault.getByTestId('document-row')).toHaveCount(1);
  await expect(vault.getByTestId('document-name')).toHaveText('Grüße <report>.txt');

  const [download] = await Promise.all([
    vault.waitForEvent('download'),
    row.getByRole('link', { name: 'Download' }).click(),
  ]);
  // The UTF-8 name arrives intact; Chromium itself swaps characters that are unsafe in file names (< >).
  expect(download.suggestedFilename()).toBe('Grüße _report_.txt');
  const saved = await readFile((await download.path()) ?? '');
  expect(saved.equals(contents)).toBe(true);

  await provisionByEmail(account.email, 'pro');
  await vault.reload();
  await expect(vault.getByTestId('header-plan-badge')).toHaveText('Pro — Active');
  await expect(vault.getByTestId('storage-meter-text')).toHaveText('3 MB of 200 GB');
  await expect(vault.getByTestId('units-meter-text')).toHaveText('31 of 1,350');
  await expect(vault.getByText('Files up to 1 GB', { exact: true })).toBeVisible();
});

test('a dropped file uploads; deleting a document asks first', async ({ page }) => {
  const account = newAccount('delete');
  await signUp(page, account);
  const vault = await launchVault(page);
  // Dropped onto the upload area, as a person drags a file from their desktop.
  const dataTransfer = await vault.evaluateHandle(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['old'], 'old.txt', { type: 'text/plain' }));
    return transfer;
  });
  await vault.getByRole('region', { name: 'Upload documents' }).dispatchEvent('drop', { dataTransfer });
  await expect(vault.getByTestId('document-row')).toHaveCount(1);

  await vault.getByTestId('document-row').getByRole('button', { name: 'Delete' }).click();
  const dialog = vault.getByRole('dialog', { name: 'Delete this document?' });
  await expect(dialog).toContainText('old.txt');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(vault.getByTestId('document-row')).toHaveCount(1);

  await vault.getByTestId('document-row').getByRole('button', { name: 'Delete' }).click();
  await vault.getByRole('dialog').getByRole('button', { name: 'Delete document' }).click();
  await expect(vault.getByTestId('empty-state')).toBeVisible();
});
