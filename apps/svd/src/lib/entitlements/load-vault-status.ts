import { cache } from 'react';
import { db } from '../db';
import { getVaultStatus } from './get-vault-status';

const loadOnce = cache((userId: string, organizationId: string | null) =>
  getVaultStatus(db(), { userId, organizationId }),
);

/**
 * getVaultStatus once per page render (layout and page share it); every new request reads fresh. With an
 * organization, the team's pooled status. React's cache compares arguments, so they stay plain strings, and a
 * missing organization is always null: the layout passing `undefined` and the page `null` read twice before.
 */
export const loadVaultStatus = (userId: string, organizationId?: string | null) =>
  loadOnce(userId, organizationId ?? null);
