import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { newAccount, signUp } from '../fixtures/accounts';
import { launchVault } from '../fixtures/launch';
import { expect, test } from '../fixtures/test';

const run = promisify(execFile);

test('upload a new version and restore the old one; select two documents and download them as one ZIP', async ({
  page,
}) => {
  const account = newAccount('versions');
  await signUp(page, account);
  const vault = await launchVault(page);
  const files = vault.getByLabel('Files to upload');
  const uploads = vault.getByTestId('upload-item');

  await files.setInputFiles({
    name: 'notes.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('first draft\n'),
  });
  await expect(vault.getByTestId('document-row')).toHaveCount(1);

  // The same name again: the upload asks instead of failing or silently duplicating.
  await files.setInputFiles({
    name: 'notes.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('second draft!\n'),
  });
  const conflict = uploads.getByTestId('name-conflict');
  await expect(conflict).toContainText('“notes.txt” already exists here.');
  await conflict.getByRole('button', { name: 'Upload as new version' }).click();
  // The newest upload is listed first.
  await expect(uploads.first().getByTestId('upload-state')).toHaveText('Uploaded');
  await expect(vault.getByTestId('document-row')).toHaveCount(1);

  const row = vault.getByTestId('document-row').filter({ hasText: 'notes.txt' });
  await row.getByRole('button', { name: 'Versions of notes.txt' }).click();
  const dialog = vault.getByRole('dialog', { name: 'Versions of “notes.txt”' });
  const versions = dialog.getByTestId('version-row');
  await expect(versions).toHaveCount(2);
  await expect(versions.first()).toContainText('Current version');
  await expect(versions.first()).toContainText('14 B');
  await expect(versions.nth(1)).toContainText('12 B');
  await versions.nth(1).getByRole('button', { name: 'Restore' }).click();
  // Restored: the first draft is current again, the second kept as a former version.
  await expect(versions.first()).toContainText('12 B');
  await expect(versions.nth(1)).toContainText('14 B');
  const [current] = await Promise.all([
    vault.waitForEvent('download'),
    versions.first().getByRole('link', { name: 'Download' }).click(),
  ]);
  expect((await readFile((await current.path()) ?? '')).toString()).toBe('first draft\n');
  await dialog.getByRole('button', { name: 'Close' }).click();

  await files.setInputFiles({ name: 'budget.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b\n1,2\n') });
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
