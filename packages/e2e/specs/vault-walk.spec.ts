import { readFile } from 'node:fs/promises';
import { newAccount, signUp } from '../fixtures/accounts';
import { launchVault } from '../fixtures/launch';
import { expect, test } from '../fixtures/test';

/** A one-page PDF (`width` × 200 pt) with exact xref offsets, small enough to write out here. */
function onePagePdf(width = 200): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${width} 200] >>`,
  ];
  let body = '%PDF-1.4\n';
  const offsets = objects.map((object, i) => {
    const offset = body.length;
    body += `${i + 1} 0 obj ${object} endobj\n`;
    return offset;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  body += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  body += `trailer << /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/**
 * Issue 16's browser scenario, walked in order as a customer would: create folders, upload a PDF, preview it,
 * share it with a password and expiry, open the link in a fresh browser context, delete and restore from the
 * trash, upload a new version and restore the old one. (Bulk ZIP, images, search and the storage notices are in
 * their own specs.)
 */
test('a customer organises, previews, shares, recovers and versions a PDF in the vault', async ({
  page,
  browser,
}) => {
  // About 25 s on a quiet machine; a minute and more at the load a CI run or a shared machine reaches.
  test.setTimeout(150_000);
  await signUp(page, newAccount('walk'));
  const vault = await launchVault(page);
  const violations: string[] = [];
  vault.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text()))
      violations.push(message.text());
  });
  const folder = (name: string) => vault.getByTestId('folder-name').filter({ hasText: name });
  const breadcrumbs = vault.getByTestId('breadcrumb');
  const rows = vault.getByTestId('document-row');

  // Folders: Clients / Acme, opened through the rows; the breadcrumbs follow (and the URL carries the folder).
  for (const name of ['Clients', 'Acme']) {
    await vault.getByRole('button', { name: 'New folder' }).click();
    await vault.getByLabel('Folder name').fill(name);
    await vault.getByRole('button', { name: 'Create folder' }).click();
    await folder(name).click();
  }
  await expect(vault).toHaveURL(/folder=/);
  await expect(breadcrumbs).toHaveText(['My documents', 'Clients', 'Acme']);
  await expect(vault.getByTestId('empty-state')).toHaveText(
    'This folder is empty. Upload a document here or create a folder.',
  );

  // A PDF uploaded into Acme, then dragged up onto the "Clients" breadcrumb: it leaves Acme for Clients.
  const first = onePagePdf();
  await vault
    .getByLabel('Files to upload')
    .setInputFiles({ name: 'contract.pdf', mimeType: 'application/pdf', buffer: first });
  await expect(rows.getByTestId('document-name')).toHaveText('contract.pdf');
  await rows.dragTo(breadcrumbs.filter({ hasText: 'Clients' }));
  await expect(rows).toHaveCount(0);
  await breadcrumbs.filter({ hasText: 'Clients' }).click();
  const row = rows.filter({ hasText: 'contract.pdf' });
  await expect(row).toHaveCount(1);

  // Preview: the PDF opens in a frame of the preview route, which Chromium's viewer renders, sandboxed.
  const pdfLoaded = vault.waitForResponse(
    (r) =>
      r.url().endsWith('/preview') &&
      r.request().method() === 'GET' &&
      r.request().frame() !== vault.mainFrame(),
  );
  await row.getByTestId('document-name').click();
  const preview = vault.getByRole('dialog', { name: 'contract.pdf' });
  await expect(preview.getByTestId('preview-frame')).toBeVisible();
  const served = await pdfLoaded;
  expect(served.status()).toBe(200);
  expect(served.headers()['content-type']).toBe('application/pdf');
  // The raw header (Playwright's headers() is the browser's filtered view, which keeps only frame-ancestors here).
  expect(await served.headerValue('content-security-policy')).toMatch(/^sandbox; default-src 'none'/);
  await vault.keyboard.press('Escape');
  await expect(preview).toBeHidden();

  // Share with a password and a 3-day expiry (the dialog offers 7).
  await row.getByRole('button', { name: 'Share' }).click();
  const share = vault.getByRole('dialog', { name: 'Share “contract.pdf”' });
  await expect(share.getByLabel('Expires in (days, at most 90)')).toHaveValue('7');
  await share.getByLabel('Expires in (days, at most 90)').fill('3');
  await share.getByLabel('Password (optional)').fill('open sesame');
  await share.getByRole('button', { name: 'Create link' }).click();
  const url = await share.getByTestId('share-link-url').inputValue();
  expect(url).toMatch(/\/s\/[A-Za-z0-9_-]{43}$/);
  await share.getByRole('button', { name: 'Done' }).click();

  // A fresh browser: no cookies, no session of any app.
  const stranger = await browser.newContext();
  try {
    const recipient = await stranger.newPage();
    await recipient.goto(url);
    await expect(recipient.getByRole('heading', { name: 'This link is protected' })).toBeVisible();
    await expect(recipient.getByText('contract.pdf')).toHaveCount(0);
    await recipient.getByLabel('Password').fill('open sesam');
    await recipient.getByRole('button', { name: 'Continue' }).click();
    await expect(recipient.getByText('This link is not available, or the password is wrong.')).toBeVisible();
    await recipient.getByLabel('Password').fill('open sesame');
    await recipient.getByRole('button', { name: 'Continue' }).click();
    await expect(recipient.getByTestId('unlocked-name')).toHaveText('contract.pdf');
    const inThreeDays = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' }).format(
      Date.now() + 3 * 86_400_000,
    );
    await expect(recipient.getByTestId('shared-expiry')).toContainText(inThreeDays);
    const [download] = await Promise.all([
      recipient.waitForEvent('download'),
      recipient.getByRole('button', { name: 'Download' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('contract.pdf');
    expect((await readFile((await download.path()) ?? '')).equals(first)).toBe(true);

    // A token that was never issued: the same page as any link that cannot be used.
    const unknown = await recipient.goto(url.replace(/.{43}$/, 'A'.repeat(43)));
    expect(unknown?.status()).toBe(404);
    await expect(recipient.getByTestId('link-not-available')).toHaveText('This link is not available');
  } finally {
    await stranger.close();
  }

  // Delete goes to the trash (still counted, shown as such); restore brings it back where it was.
  await row.getByRole('button', { name: 'Delete' }).click();
  await vault.getByRole('dialog').getByRole('button', { name: 'Delete document' }).click();
  await expect(rows).toHaveCount(0);
  await expect(vault.getByTestId('trash-usage')).toContainText('in the trash');
  await vault.getByTestId('trash-usage').getByRole('link').click();
  await expect(vault.getByTestId('trash-name')).toHaveText(['contract.pdf']);
  await expect(vault.getByTestId('trash-expires')).toContainText('goes for good');
  await vault.getByTestId('trash-row').getByRole('button', { name: 'Restore' }).click();
  await expect(vault.getByRole('status')).toHaveText('Restored “contract.pdf”.');
  await expect(vault.getByTestId('trash-empty')).toBeVisible();
  await vault.getByRole('link', { name: '← Back to the vault' }).click();
  await folder('Clients').click();
  await expect(row).toHaveCount(1);
  // Its thumbnail (the first page, drawn by the worker's queue) shows in the list by now.
  const thumbnail = row.getByTestId('document-thumbnail');
  await expect
    .poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), {
      timeout: 30_000,
    })
    .toBeGreaterThan(0);

  // The same name again in the same folder: the upload asks; a new version keeps one document with two versions.
  const second = onePagePdf(1200);
  await vault
    .getByLabel('Files to upload')
    .setInputFiles({ name: 'contract.pdf', mimeType: 'application/pdf', buffer: second });
  const uploads = vault.getByTestId('upload-item');
  const conflict = uploads.getByTestId('name-conflict');
  await expect(conflict).toContainText('“contract.pdf” already exists here.');
  await conflict.getByRole('button', { name: 'Upload as new version' }).click();
  // The newest upload is listed first.
  await expect(uploads.first().getByTestId('upload-state')).toHaveText('Uploaded');
  await expect(rows).toHaveCount(1);

  // The Versions dialog restores the first upload: it is current again, the second kept as a former version.
  await row.getByRole('button', { name: 'Versions of contract.pdf' }).click();
  const versions = vault
    .getByRole('dialog', { name: 'Versions of “contract.pdf”' })
    .getByTestId('version-row');
  await expect(versions).toHaveCount(2);
  await expect(versions.first()).toContainText('Current version');
  await expect(versions.first()).toContainText(`${second.length} B`);
  await expect(versions.nth(1)).toContainText(`${first.length} B`);
  await versions.nth(1).getByRole('button', { name: 'Restore' }).click();
  await expect(versions.first()).toContainText(`${first.length} B`);
  await expect(versions.nth(1)).toContainText(`${second.length} B`);
  const [current] = await Promise.all([
    vault.waitForEvent('download'),
    versions.first().getByRole('link', { name: 'Download' }).click(),
  ]);
  expect((await readFile((await current.path()) ?? '')).equals(first)).toBe(true);
  await vault.getByRole('dialog').getByRole('button', { name: 'Close' }).click();

  // The owner's Shared links page: the link, its one download, and each use (the wrong password too).
  await vault.getByTestId('shared-links-link').click();
  const link = vault.getByTestId('share-link-row');
  await expect(link).toContainText('contract.pdf');
  await expect(link.getByTestId('share-link-uses')).toHaveText('1');
  await expect(link.getByTestId('share-link-status')).toHaveText('Active');
  await link.getByRole('button', { name: 'Uses' }).click();
  const log = vault.getByTestId('share-link-use-log');
  await expect(log.getByRole('listitem')).toHaveCount(2);
  await expect(log.getByRole('listitem').first()).toContainText('Downloaded');
  await expect(log.getByRole('listitem').last()).toContainText('Wrong password');
  expect(violations).toEqual([]);
});
