import { newAccount, signUp } from '../fixtures/accounts';
import { adminDatabase } from '../fixtures/database';
import { launchVault } from '../fixtures/launch';
import { expect, test } from '../fixtures/test';

/** Another device's upload of `bytes` in progress: its reservation counts against storage (SPEC §3). */
async function reserveElsewhere(email: string, bytes: number) {
  const { pool } = adminDatabase();
  try {
    const result = await pool.query(
      `INSERT INTO securevault."Document" (id, "userId", "vaultId", name, "mimeType", "sizeBytes", state, "storageKey")
       SELECT gen_random_uuid()::text, u.id, v.id, 'big-upload.bin', 'application/octet-stream', $2, 'uploading', gen_random_uuid()::text
       FROM core."User" u JOIN securevault."Vault" v ON v."userId" = u.id AND v."organizationId" IS NULL
       WHERE u.email = $1 LIMIT 1`,
      [email, bytes],
    );
    if (result.rowCount !== 1) throw new Error(`no vault for ${email}`);
  } finally {
    await pool.end();
  }
}

test('search by a prefix finds a document by its contents; shortcuts; a finished upload leaves the list; the 80 % notice has Upgrade; over the limit, one notice', async ({
  page,
}) => {
  const account = newAccount('search');
  await signUp(page, account);
  const vault = await launchVault(page);

  // `/` focuses the search (not while typing in a field); `?` lists the shortcuts, Esc closes the list.
  await vault.locator('body').press('/');
  await expect(vault.getByLabel('Search documents')).toBeFocused();
  await vault.getByLabel('Search documents').press('?');
  await expect(vault.getByTestId('shortcuts-dialog')).toBeHidden();
  await vault.getByLabel('Search documents').blur();
  await vault.locator('body').press('?');
  const shortcuts = vault.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(shortcuts).toBeVisible();
  await expect(shortcuts).toContainText('Upload files');
  await vault.keyboard.press('Escape');
  await expect(shortcuts).toBeHidden();

  // `u` opens the file picker.
  const [chooser] = await Promise.all([vault.waitForEvent('filechooser'), vault.locator('body').press('u')]);
  await chooser.setFiles({
    name: 'field-notes.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('Sightings of a kangaroo near the billabong\n'),
  });
  const item = vault.getByTestId('upload-item');
  await expect(item.getByTestId('upload-state')).toHaveText('Uploaded', { timeout: 30_000 });
  // Shown as finished for a moment, then off the list; the document is in the table.
  await expect(item).toHaveCount(0, { timeout: 10_000 });
  const row = vault.getByTestId('document-row');
  await expect(row.getByTestId('file-icon')).toHaveAttribute('data-family', 'text');
  await expect(row.getByTestId('index-status')).toHaveText('Indexed', { timeout: 30_000 });

  // "kanga" is the start of a word inside the file, not of its name.
  await vault.getByLabel('Search documents').fill('kanga');
  await vault.getByLabel('Search documents').press('Enter');
  await expect(vault.getByTestId('search-summary')).toContainText('Results for “kanga”');
  await expect(vault.getByTestId('document-name')).toHaveText(['field-notes.txt']);
  await vault.getByLabel('Search documents').fill('wombat');
  await vault.getByLabel('Search documents').press('Enter');
  await expect(vault.getByTestId('empty-state')).toHaveText('No documents match your search.');

  // 85 % of the trial's 1 GB in use: the notice says so and carries Upgrade to the plan comparison.
  await reserveElsewhere(account.email, Math.round(0.85 * 1024 ** 3));
  await vault.reload();
  const notice = vault.getByRole('status').filter({ hasText: 'You have used 85% of your storage' });
  await expect(notice).toBeVisible();
  await expect(notice.getByRole('link', { name: 'Upgrade' })).toHaveAttribute(
    'href',
    /\/products\/securevault\?.*#plans$/,
  );

  // Over the limit: one notice (the upload area points to it), sizes in one style.
  await reserveElsewhere(account.email, Math.round(0.2 * 1024 ** 3));
  await vault.reload();
  await expect(vault.getByTestId('storage-meter-text')).toHaveText('1.1 GB of 1.0 GB');
  await expect(vault.getByText(/more storage than the .* plan allows/)).toHaveCount(1);
  await expect(vault.getByTestId('uploads-disabled')).toHaveText(
    'Uploads are disabled — the notice above says why.',
  );
});
