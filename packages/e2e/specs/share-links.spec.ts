import { readFile } from 'node:fs/promises';
import { newAccount, signUp } from '../fixtures/accounts';
import { launchVault } from '../fixtures/launch';
import { expect, test } from '../fixtures/test';

/** A one-page PDF with exact xref offsets, small enough to write out here. */
function onePagePdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
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

test('share a PDF with a password and expiry; a stranger without an account downloads it; the owner sees the use', async ({
  page,
  browser,
}) => {
  const account = newAccount('share');
  await signUp(page, account);
  const vault = await launchVault(page);
  const pdf = onePagePdf();
  await vault
    .getByLabel('Files to upload')
    .setInputFiles({ name: 'contract.pdf', mimeType: 'application/pdf', buffer: pdf });
  const row = vault.getByTestId('document-row');
  await expect(row).toHaveCount(1);

  await row.getByRole('button', { name: 'Share' }).click();
  const dialog = vault.getByRole('dialog', { name: 'Share “contract.pdf”' });
  await expect(dialog.getByLabel('Expires in (days, at most 90)')).toHaveValue('7');
  await dialog.getByLabel('Expires in (days, at most 90)').fill('3');
  await dialog.getByLabel('Password (optional)').fill('open sesame');
  await dialog.getByRole('button', { name: 'Create link' }).click();
  const url = await dialog.getByTestId('share-link-url').inputValue();
  expect(url).toMatch(/\/s\/[A-Za-z0-9_-]{43}$/);
  await dialog.getByRole('button', { name: 'Done' }).click();

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
    expect((await readFile((await download.path()) ?? '')).equals(pdf)).toBe(true);

    // A token that was never issued: the same page as any link that cannot be used.
    const unknown = await recipient.goto(url.replace(/.{43}$/, 'A'.repeat(43)));
    expect(unknown?.status()).toBe(404);
    await expect(recipient.getByTestId('link-not-available')).toHaveText('This link is not available');
  } finally {
    await stranger.close();
  }

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
});
