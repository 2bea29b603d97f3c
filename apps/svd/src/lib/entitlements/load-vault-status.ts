import { cache } from 'react';
import { db } from '../db';
import { getVaultStatus } from './get-vault-status';

/**
 * getVaultStatus once per page render (layout and page share it); every new request reads fresh. With an
 * organization, the team's pooled status (React's cache compares arguments, so they stay plain strings).
 */
export const loadVaultStatus = cache((userId: string, organizationId?: string | null) =>
  getVaultStatus(db(), { userId, organizationId }),
);
