import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { newAccount, signUp } from '../fixtures/accounts';
import { launchVault } from '../fixtures/launch';
import { expect, test } from '../fixtures/test';

const run = promisify(execFile);

// Uploading a new version and restoring the old one (the same steps and checks, on a PDF): vault-walk.spec.
test('select two documents and download them as one ZIP', async ({ page }) => {
  const account = newAccount('bulk');
  await signUp(page, account);
  const vault = await launchVault(page);
  const files = vault.getByLabel('Files to upload');

  await files.setInputFiles([
    { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('first draft\n') },
    { name: 'budget.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b\n1,2\n') },
  ]);
  await expect(vault.getByTestId('document-row')).toHaveCount(2);
  await vault.getByLabel('Select notes.txt').check();
  await vault.getByLabel('Select budget.csv').check();
  const bar = vault.getByRole('region', { name: 'Selected documents' });
  await expect(bar).toContainText('2 selected');
  const [zip] = await Promise.all([
    vault.waitForEvent('download'),
    bar.getByRole('button', { name: 'Download ZIP' }).click(),
  ]);
  expect(zip.suggestedFilename()).toMatch(/^SecureVault documents \d{4}-\d{2}-\d{2}\.zip$/);
  const zipPath = (await zip.path()) ?? '';
  const { stdout } = await run('unzip', ['-Z1', zipPath]);
  expect(stdout.split('\n').filter(Boolean).sort()).toEqual(['budget.csv', 'notes.txt']);
  const notes = await run('unzip', ['-p', zipPath, 'notes.txt']);
  expect(notes.stdout).toBe('first draft\n');
});
