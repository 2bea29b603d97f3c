import { newAccount, signUp } from '../../fixtures/accounts';
import { accessLogMark, instanceNames, requestsPerInstanceSince } from '../../fixtures/cluster';
import { payOnHostedCheckout } from '../../fixtures/hosted-checkout';
import { launchVault, svdUrl } from '../../fixtures/launch';
import { expect, test } from '../../fixtures/test';

test('through the balancer: checkout on Stripe’s page, launch SVD, upload, upgrade, cancel — every instance of each app answers part of it', async ({
  page,
}, testInfo) => {
  const mark = await accessLogMark();
  const account = newAccount('cluster');
  await signUp(page, account);

  // Checkout: Growth with its trial, paid on the emulator's hosted page, whose webhook reaches one Hub instance.
  await page.goto('/products/securevault');
  await page.getByTestId('plan-growth').getByRole('link', { name: 'Choose Growth' }).click();
  await page.getByRole('button', { name: 'Start Free Trial' }).click();
  await payOnHostedCheckout(page, account.name);
  await expect(page.getByRole('heading', { name: 'Trial started' })).toBeVisible();
  await page.getByRole('link', { name: 'Go to your portal' }).click();
  await expect(page.getByTestId('app-card-securevault').getByTestId('app-price')).toHaveText(
    'Your plan: Growth',
  );

  // Launch: the hand-off token is minted by one Hub instance and spent by whichever SVD instance gets the post.
  const vault = await launchVault(page);
  await expect(vault.getByTestId('header-plan-badge')).toHaveText('Growth — Free trial, 7 days left');

  // Upload: the upload's reservation and the document row live in PostgreSQL, the blob in the shared store.
  await vault
    .getByLabel('Files to upload')
    .setInputFiles({ name: 'lease.txt', mimeType: 'text/plain', buffer: Buffer.from('tenancy agreement\n') });
  await expect(vault.getByTestId('upload-state')).toHaveText('Uploaded', { timeout: 30_000 });
  await expect(vault.getByTestId('document-name')).toHaveText('lease.txt');
  // Every later page load may land on the other SVD instance: the document is there too.
  for (let i = 0; i < 3; i += 1) {
    await vault.reload();
    await expect(vault.getByTestId('document-name')).toHaveText('lease.txt');
  }

  // Upgrade from SVD to Pro on the Hub's plan comparison, and back in SVD with Pro in force.
  await vault.getByRole('link', { name: 'Upgrade' }).click();
  await vault.getByTestId('plan-pro').getByRole('link', { name: 'Change to Pro' }).click();
  await expect(vault.getByTestId('plan-change')).toContainText('Change SecureVault Docs from Growth to Pro');
  await vault.getByRole('button', { name: 'Upgrade to Pro' }).click();
  await vault.getByRole('dialog', { name: 'Plan changed' }).getByRole('link', { name: 'Continue' }).click();
  await vault.waitForURL(`${svdUrl}/vault`);
  await expect(vault.getByTestId('header-plan-badge')).toHaveText(
    /^Pro — (Active|Free trial, \d+ days left)$/,
  );
  await expect(vault.getByTestId('storage-meter-text')).toHaveText(/ of 200 GB$/);

  // Cancel now on the billing page: SVD is read-only on its next request, whichever instance answers it.
  await page.goto('/billing');
  const card = page.getByTestId('billing-card-securevault');
  await expect(card.getByTestId('billing-plan')).toHaveText('Pro');
  await card.getByRole('button', { name: 'Cancel', exact: true }).click();
  await page
    .getByRole('dialog')
    .getByRole('button', { name: /^End now/ })
    .click();
  await page.getByRole('dialog').getByRole('button', { name: 'Yes, end now' }).click();
  await expect(card.getByTestId('app-status')).toHaveText('Canceled');
  for (let i = 0; i < 2; i += 1) {
    await vault.reload();
    await expect(vault.getByTestId('header-plan-badge')).toHaveText('Canceled');
    await expect(vault.getByTestId('uploads-disabled')).toBeVisible();
    await expect(vault.getByTestId('document-name')).toHaveText('lease.txt');
  }

  // The balancer spread the journey over both instances of each app (its access log names the instance).
  const counts = await requestsPerInstanceSince(mark);
  await testInfo.attach('requests per instance', { body: JSON.stringify(counts, null, 2) });
  console.log(`[cluster] journey requests per instance: ${JSON.stringify(counts)}`);
  for (const name of [...instanceNames('hub'), ...instanceNames('svd')]) {
    expect(counts[name] ?? 0, `requests answered by ${name}`).toBeGreaterThan(5);
  }
});
