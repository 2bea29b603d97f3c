import { cache } from 'react';
import { db } from '../db';
import { getVaultStatus } from './get-vault-status';

/** getVaultStatus once per page render (layout and page share it); every new request reads fresh. */
export const loadVaultStatus = cache((userId: string) => getVaultStatus(db(), userId));
