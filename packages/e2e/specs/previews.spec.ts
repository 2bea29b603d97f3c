import type { Page } from '@playwright/test';
import { newAccount, signUp } from '../fixtures/accounts';
import { launchVault } from '../fixtures/launch';
import { expect, test } from '../fixtures/test';

/** A one-page PDF (200 × 200 pt) with exact xref offsets, small enough to write out here. */
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

/** 48 × 32 px, one colour. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAADAAAAAgCAIAAADbtmxLAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAASUlEQVRYhe2WAQkAQAwCl8ScRrxYH2PPOFgAET03KV/drCuIgtChmqHYMtbxE8GIDtUMxZaxDqH4oKFDNUOxZcghBGOdjhwe1wexOTR5lhHMNQAAAABJRU5ErkJggg==',
  'base64',
);

function watchViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text()))
      violations.push(message.text());
  });
  return violations;
}

test('previews: a PDF in the browser’s viewer, an image, and thumbnails in the list', async ({ page }) => {
  await signUp(page, newAccount('preview'));
  const vault = await launchVault(page);
  const violations = watchViolations(vault);

  await vault.getByLabel('Files to upload').setInputFiles([
    { name: 'brochure.pdf', mimeType: 'application/pdf', buffer: onePagePdf() },
    { name: 'photo.png', mimeType: 'image/png', buffer: PNG },
  ]);
  const rows = vault.getByTestId('document-row');
  await expect(rows).toHaveCount(2, { timeout: 20_000 });

  // The PDF opens in a frame of the preview route, which Chromium's viewer renders: 200, application/pdf.
  const pdfLoaded = vault.waitForResponse(
    (r) =>
      r.url().endsWith('/preview') &&
      r.request().method() === 'GET' &&
      r.request().frame() !== vault.mainFrame(),
  );
  await rows.filter({ hasText: 'brochure.pdf' }).getByTestId('document-name').click();
  const dialog = vault.getByRole('dialog', { name: 'brochure.pdf' });
  await expect(dialog.getByTestId('preview-frame')).toBeVisible();
  const pdf = await pdfLoaded;
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  // The raw header (Playwright's headers() is the browser's filtered view, which keeps only frame-ancestors here).
  expect(await pdf.headerValue('content-security-policy')).toMatch(/^sandbox; default-src 'none'/);
  await vault.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // The image as an <img>, decoded.
  await rows.filter({ hasText: 'photo.png' }).getByTestId('document-name').click();
  const image = vault.getByRole('dialog', { name: 'photo.png' }).getByTestId('preview-image');
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(48);
  await vault.keyboard.press('Escape');

  // Both thumbnails, made by the worker's queue, show in the list once ready.
  for (const name of ['photo.png', 'brochure.pdf']) {
    const thumbnail = rows.filter({ hasText: name }).getByTestId('document-thumbnail');
    await expect
      .poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), {
        timeout: 30_000,
      })
      .toBeGreaterThan(0);
  }
  expect(violations).toEqual([]);
});
