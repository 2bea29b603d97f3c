import { AppError } from '@omg/platform';
import { getBillingAccount, type TBillingAccount } from './get-billing-account';

/**
 * The guard of every route that buys or changes something: the person's own billing, or the active business
 * account's when they are its owner or an admin. Members and viewers see the plan read-only and get 403 here,
 * as every organization route answers a role that may not (requireOrganizationRole).
 */
export async function requireBillingManager(session: {
  user: { id: string };
  session: { activeOrganizationId?: string | null };
}): Promise<TBillingAccount> {
  const account = await getBillingAccount(session);
  if (!account.canManage) {
    throw new AppError(
      'FORBIDDEN',
      `Only owners and admins can change ${account.organization?.name ?? 'this account'}’s billing; you are a ${account.role}.`,
    );
  }
  return account;
}
