import type { TProvisionResult } from '@/lib/billing/provision-subscription';
import type { TWebhookResult } from './webhook.types';

/** The part of a provisioning result worth recording on the event row. */
export function provisionResult(result: TProvisionResult): TWebhookResult {
  return { outcome: result.outcome, ...(result.reason ? { reason: result.reason } : {}) };
}
