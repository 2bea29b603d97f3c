import { loadSupportActionsState } from '@/lib/admin/load-support-actions-state';
import type { TUserRole } from '@/lib/admin/staff-role';
import { db } from '@/lib/db';
import { Section } from './customer-parts';
import { SupportActions } from './support-actions';

/**
 * The support actions' section of the customer page (issue 14): reads what applies to this customer (ban,
 * running comps, live subscriptions, password, verification) and hands it to the client panel. The page has
 * already checked the viewer is staff; the routes check again, role by role.
 */
export async function SupportActionsPanel({
  customerId,
  staffRole,
}: {
  customerId: string;
  staffRole: TUserRole;
}) {
  const state = await loadSupportActionsState(db(), customerId);
  if (!state) return null;
  // Only staff reach the page; anything but admin is offered support's actions.
  const role = staffRole === 'admin' ? 'admin' : 'support';
  return (
    <Section
      id="support-actions"
      title="Support actions"
      note={
        role === 'admin'
          ? 'Each asks for a reason and writes an audit entry.'
          : 'Each asks for a reason and writes an audit entry. Refunds, comps and unbans are for admins.'
      }
    >
      <SupportActions state={state} staffRole={role} />
    </Section>
  );
}
