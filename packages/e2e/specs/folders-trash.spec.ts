import { newAccount, signUp } from '../fixtures/accounts';
import { launchVault } from '../fixtures/launch';
import { expect, test } from '../fixtures/test';

test('folders and the trash: nested folders, upload into one, drag a document onto a breadcrumb, delete and restore', async ({
  page,
}) => {
  const account = newAccount('folders');
  await signUp(page, account);
  const vault = await launchVault(page);

  // Taxes / 2026, opened through the folder rows; the breadcrumbs follow (and the URL carries the folder).
  await vault.getByRole('button', { name: 'New folder' }).click();
  await vault.getByLabel('Folder name').fill('Taxes');
  await vault.getByRole('button', { name: 'Create folder' }).click();
  await vault.getByTestId('folder-name').filter({ hasText: 'Taxes' }).click();
  await expect(vault).toHaveURL(/folder=/);
  await vault.getByRole('button', { name: 'New folder' }).click();
  await vault.getByLabel('Folder name').fill('2026');
  await vault.getByRole('button', { name: 'Create folder' }).click();
  await vault.getByTestId('folder-name').filter({ hasText: '2026' }).click();
  await expect(vault.getByTestId('breadcrumb')).toHaveText(['My documents', 'Taxes', '2026']);
  await expect(vault.getByTestId('empty-state')).toHaveText(
    'This folder is empty. Upload a document here or create a folder.',
  );

  await vault
    .getByLabel('Files to upload')
    .setInputFiles({ name: 'receipt.txt', mimeType: 'text/plain', buffer: Buffer.from('paid in full\n') });
  const row = vault.getByTestId('document-row');
  await expect(row.getByTestId('document-name')).toHaveText('receipt.txt');

  // Dragged onto the "Taxes" breadcrumb, it leaves 2026 for Taxes.
  await row.dragTo(vault.getByTestId('breadcrumb').filter({ hasText: 'Taxes' }));
  await expect(vault.getByTestId('document-row')).toHaveCount(0);
  await vault.getByTestId('breadcrumb').filter({ hasText: 'Taxes' }).click();
  await expect(vault.getByTestId('document-name')).toHaveText('receipt.txt');

  // Delete goes to the trash; restore brings it back where it was.
  await vault.getByTestId('document-row').getByRole('button', { name: 'Delete' }).click();
  await vault.getByRole('dialog').getByRole('button', { name: 'Delete document' }).click();
  await expect(vault.getByTestId('document-row')).toHaveCount(0);
  await expect(vault.getByTestId('trash-usage')).toContainText('in the trash');
  await vault.getByTestId('trash-usage').getByRole('link').click();
  await expect(vault.getByTestId('trash-name')).toHaveText(['receipt.txt']);
  await expect(vault.getByTestId('trash-expires')).toContainText('goes for good');
  await vault.getByTestId('trash-row').getByRole('button', { name: 'Restore' }).click();
  await expect(vault.getByRole('status')).toHaveText('Restored “receipt.txt”.');
  await expect(vault.getByTestId('trash-empty')).toBeVisible();
  await vault.getByRole('link', { name: '← Back to the vault' }).click();
  await vault.getByTestId('folder-name').filter({ hasText: 'Taxes' }).click();
  await expect(vault.getByTestId('document-name')).toHaveText('receipt.txt');
});
