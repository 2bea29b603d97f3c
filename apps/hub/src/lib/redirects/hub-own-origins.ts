import { ownOrigins } from '@omg/platform';
import { env } from '../env';

/**
 * Where a caller-supplied return target may lead from the Hub: the Hub itself and every catalog app whose launch
 * URL is configured (HUB_URL and SVD_URL as validated, CRM_URL, IQ_URL, LEADS_URL where set).
 */
export function hubOwnOrigins(): string[] {
  const { HUB_URL, SVD_URL } = env();
  return ownOrigins({ ...process.env, HUB_URL, SVD_URL });
}
