import { newAccount, signUp } from '../fixtures/accounts';
import { payOnHostedCheckout } from '../fixtures/hosted-checkout';
import { launchVault } from '../fixtures/launch';
import { expect, test } from '../fixtures/test';

test('the team space (issue 15): the owner of Acme buys Business Starter, launches SVD in Acme, uploads to the team vault and sees the upload in the activity log and the storage per member', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const owner = newAccount('team-owner');
  await signUp(page, owner);
  await page.goto('/organizations');
  await page.getByLabel('Company name').fill('Acme');
  await page.getByRole('button', { name: 'Create business account' }).click();
  await expect(page.getByRole('heading', { name: 'Acme', level: 1 })).toBeVisible();
  await page.goto('/portal');
  const saved = page.waitForResponse(
    (response) => response.url().endsWith('/api/active-organization') && response.ok(),
  );
  await page.getByTestId('account-switcher').selectOption({ label: 'Acme' });
  await saved;
  await page.goto('/checkout/start?product=securevault&plan=business_starter');
  await page.getByRole('button', { name: 'Subscribe' }).click();
  await payOnHostedCheckout(page, owner.name);
  await expect(page.getByRole('heading', { name: 'Payment complete' })).toBeVisible();

  await page.goto('/portal');
  const vault = await launchVault(page);
  await expect(vault.getByRole('heading', { name: 'Acme — team vaults', level: 1 })).toBeVisible();
  await expect(vault.getByTestId('team-role')).toHaveText('· owner of Acme');
  await expect(vault.getByTestId('storage-meter-text')).toHaveText('0 B of 250 GB');

  await vault
    .getByLabel('Files to upload')
    .setInputFiles({ name: 'acme-plan.txt', mimeType: 'text/plain', buffer: Buffer.from('the plan\n') });
  await expect(vault.getByTestId('upload-item').getByTestId('upload-state')).toHaveText('Uploaded', {
    timeout: 30_000,
  });
  await expect(vault.getByTestId('document-name')).toHaveText('acme-plan.txt');

  await vault.getByTestId('team-activity-link').click();
  await expect(vault.getByRole('heading', { name: 'Acme — activity', level: 1 })).toBeVisible();
  const entry = vault.getByTestId('activity-table').getByRole('row').nth(1);
  await expect(entry).toContainText('Uploaded');
  await expect(entry).toContainText('acme-plan.txt');
  await expect(entry).toContainText(owner.email);
  await expect(vault.getByTestId('member-usage')).toContainText(owner.email);

  await vault.getByLabel('Action').selectOption({ label: 'Deleted' });
  await vault.getByRole('button', { name: 'Apply' }).click();
  await expect(vault.getByText('No activity matches these filters.')).toBeVisible();

  const [download] = await Promise.all([
    vault.waitForEvent('download'),
    vault.getByTestId('activity-csv').click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^team-activity-\d{4}-\d{2}-\d{2}\.csv$/);
});
