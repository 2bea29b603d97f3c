import { clientAddressOf } from '@omg/platform';
import { z } from 'zod';
import type { TStaff } from './require-staff';

/** Every support action asks why (issue 14): 3 to 500 characters, stored in hub."AuditLog".reason. */
export const ZSupportReasonSchema = z
  .string({ error: 'A reason is required.' })
  .trim()
  .min(3, 'Give a reason of at least 3 characters.')
  .max(500, 'Keep the reason under 500 characters.');

/** The path parameter of /api/admin/customers/[id]/…; any string passes here, an unknown id is a 404 later. */
export const ZCustomerParamsSchema = z.object({ id: z.string() });

/** Who acts, and the request the audit entry points back to. */
export interface TSupportActor {
  staff: TStaff;
  requestId: string | null;
  ipAddress: string | null;
}

/** The actor of a support action from the guard's answer and the request apiRoute stamped. */
export function supportActorOf(staff: TStaff, request: Request, requestId: string): TSupportActor {
  return { staff, requestId, ipAddress: clientAddressOf(request.headers) ?? null };
}

/** The columns of an audit entry that come from the actor. */
export function auditActorFields(actor: TSupportActor) {
  return {
    actorUserId: actor.staff.userId,
    actorRole: actor.staff.role,
    requestId: actor.requestId,
    ipAddress: actor.ipAddress,
  };
}
