import type { Page } from '@playwright/test';
import { newAccount, signUp } from '../fixtures/accounts';
import { launchVault } from '../fixtures/launch';
import { expect, test } from '../fixtures/test';

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

// The PDF in the browser's viewer (the preview route's sandboxing CSP) and its thumbnail: vault-walk.spec.
test('previews: an image, decoded in the dialog, and its thumbnail in the list, with no CSP violation', async ({
  page,
}) => {
  await signUp(page, newAccount('preview'));
  const vault = await launchVault(page);
  const violations = watchViolations(vault);

  await vault
    .getByLabel('Files to upload')
    .setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: PNG });
  const rows = vault.getByTestId('document-row');
  await expect(rows).toHaveCount(1, { timeout: 20_000 });

  // The image as an <img>, decoded.
  await rows.filter({ hasText: 'photo.png' }).getByTestId('document-name').click();
  const image = vault.getByRole('dialog', { name: 'photo.png' }).getByTestId('preview-image');
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(48);
  await vault.keyboard.press('Escape');

  // The thumbnail, made by the worker's queue, shows in the list once ready.
  const thumbnail = rows.filter({ hasText: 'photo.png' }).getByTestId('document-thumbnail');
  await expect
    .poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), {
      timeout: 30_000,
    })
    .toBeGreaterThan(0);
  expect(violations).toEqual([]);
});
