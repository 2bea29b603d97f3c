import { newAccount, signUp } from '../fixtures/accounts';
import { buyBusinessPlan, createBusinessAccount } from '../fixtures/business';
import { launchVault } from '../fixtures/launch';
import { mailedLink } from '../fixtures/mail';
import { expect, test } from '../fixtures/test';

/**
 * Issue 15's browser scenario, walked once: an owner creates "Acme", buys Business Starter on the hosted checkout,
 * invites a colleague, who accepts, launches SVD and uploads to the team vault; the owner sees the document and
 * the activity entry (filter, CSV, storage per member); the owner removes the colleague, whose next request is
 * refused; adding a sixth member asks for a seat, which is bought at the previewed prorated price.
 */
test('a business team (issue 15): buy, invite, accept, upload to the team vault, audit, remove, and a seat for the sixth member', async ({
  page,
  browser,
}) => {
  test.setTimeout(150_000);
  const owner = newAccount('acme-owner');
  const colleague = newAccount('acme-colleague');

  await signUp(page, owner);
  const acmeUrl = await createBusinessAccount(page, 'Acme');
  await buyBusinessPlan(page, owner, 'business_starter', {
    price: '$29.99/month',
    forOrganization: 'For Acme · 5 seats included, more at $6.00 a seat a month',
  });
  await page.goto('/billing');
  await expect(page.getByRole('heading', { name: 'Billing for Acme', level: 1 })).toBeVisible();
  await expect(page.getByTestId('billing-card-securevault').getByTestId('billing-plan')).toHaveText(
    'Business Starter',
  );
  await expect(page.getByTestId('seats-summary')).toHaveText(
    '1 of 5 seats in use (5 seats included with Business Starter).',
  );

  // The invitation, mailed through the outbox; the colleague signs up with that address and accepts.
  await page.goto(acmeUrl);
  const invite = async (email: string) => {
    await page.getByLabel('Email address').fill(email);
    await page.getByRole('button', { name: 'Send invitation' }).click();
  };
  await invite(colleague.email);
  await expect(page.getByLabel(`Invitation link for ${colleague.email}`).first()).toBeVisible();
  const link = await mailedLink(colleague.email, /invited to join Acme/, '/invitations/');
  const colleagueContext = await browser.newContext({
    extraHTTPHeaders: { 'x-forwarded-for': '198.51.252.9' },
  });
  const other = await colleagueContext.newPage();
  await signUp(other, colleague);
  await other.goto(link);
  await other.getByRole('button', { name: 'Join Acme' }).click();
  await expect(other).toHaveURL(acmeUrl);
  await expect(other.getByText('You are a member.')).toBeVisible();

  // Accepting made Acme the colleague's active account: SVD opens the team's space, where members upload.
  await other.goto('/portal');
  const colleagueVault = await launchVault(other);
  await expect(colleagueVault.getByRole('heading', { name: 'Acme — team vaults', level: 1 })).toBeVisible();
  await expect(colleagueVault.getByTestId('team-role')).toHaveText('· member of Acme');
  await expect(colleagueVault.getByTestId('storage-meter-text')).toHaveText('0 B of 250 GB');
  // Members manage no vaults and see no audit log.
  await expect(colleagueVault.getByRole('button', { name: '+ New vault' })).toHaveCount(0);
  await expect(colleagueVault.getByTestId('team-activity-link')).toHaveCount(0);
  await colleagueVault
    .getByLabel('Files to upload')
    .setInputFiles({ name: 'acme-plan.txt', mimeType: 'text/plain', buffer: Buffer.from('the plan\n') });
  await expect(colleagueVault.getByTestId('upload-item').getByTestId('upload-state')).toHaveText('Uploaded', {
    timeout: 30_000,
  });

  // The owner, in Acme's SVD: the colleague's document, and the activity entry naming them.
  await page.goto('/portal');
  const vault = await launchVault(page);
  await expect(vault.getByTestId('team-role')).toHaveText('· owner of Acme');
  await expect(vault.getByTestId('document-name')).toHaveText('acme-plan.txt');
  await vault.getByTestId('team-activity-link').click();
  await expect(vault.getByRole('heading', { name: 'Acme — activity', level: 1 })).toBeVisible();
  const entry = vault.getByTestId('activity-table').getByRole('row').nth(1);
  await expect(entry).toContainText('Uploaded');
  await expect(entry).toContainText('acme-plan.txt');
  await expect(entry).toContainText(colleague.email);
  await expect(vault.getByTestId('member-usage')).toContainText(colleague.email);
  await vault.getByLabel('Action').selectOption({ label: 'Deleted' });
  await vault.getByRole('button', { name: 'Apply' }).click();
  await expect(vault.getByText('No activity matches these filters.')).toBeVisible();
  const [csv] = await Promise.all([
    vault.waitForEvent('download'),
    vault.getByTestId('activity-csv').click(),
  ]);
  expect(csv.suggestedFilename()).toMatch(/^team-activity-\d{4}-\d{2}-\d{2}\.csv$/);

  // The owner removes the colleague: their very next request to SVD is refused.
  await page.goto(acmeUrl);
  const row = page.getByTestId('member-row').filter({ hasText: colleague.email });
  await row.getByRole('button', { name: 'Remove' }).click();
  await row.getByRole('button', { name: 'Remove member' }).click();
  await expect(page.getByTestId('member-row')).toHaveCount(1);
  await colleagueVault.reload();
  await expect(colleagueVault.getByTestId('team-refused')).toContainText('No longer a member');
  await colleagueContext.close();

  // Four invitations fill Starter's five seats; the sixth person asks for a seat, bought with proration.
  for (let n = 2; n <= 5; n++) {
    await invite(`seat-${n}-${colleague.email}`);
    await expect(page.getByTestId('invitation-row')).toHaveCount(n - 1);
  }
  const sixth = `seat-6-${colleague.email}`;
  await invite(sixth);
  await expect(page.getByText(/All 5 seats of .* are in use/)).toBeVisible();
  await page.getByTestId('add-seat-link').click();
  await expect(page).toHaveURL(/\/billing#seats$/);
  const seats = page.getByTestId('seats-panel');
  await expect(seats.getByTestId('seats-summary')).toHaveText(
    '5 of 5 seats in use (5 seats included with Business Starter). 4 pending invitations hold seats.',
  );
  await expect(seats.getByTestId('extra-seats-input')).toHaveValue('1');
  await seats.getByRole('button', { name: 'Add seats' }).click();
  const preview = seats.getByTestId('seats-preview');
  await expect(preview).toContainText('5 seats → 6 seats.');
  const amount = (await preview.textContent())?.match(/You pay (\$\d+\.\d\d) now/)?.[1];
  expect(amount, 'the preview names the prorated amount').toBeTruthy();
  await seats.getByRole('button', { name: `Confirm — pay ${amount}` }).click();
  await expect(seats.getByTestId('seats-summary')).toHaveText(
    '5 of 6 seats in use (5 seats included with Business Starter, 1 extra). 4 pending invitations hold seats.',
  );
  await page.goto(acmeUrl);
  await invite(sixth);
  await expect(page.getByLabel(`Invitation link for ${sixth}`).first()).toBeVisible();
  await expect(page.getByTestId('invitation-row')).toHaveCount(5);
});
