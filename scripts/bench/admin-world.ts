import { seedUser } from '@omg/db/setup';
import { grantRole } from '@omg/hub/maintenance';
import type { TBenchStack } from './stack';
import { BENCH_PASSWORD, signInOverHttp } from './world';

/**
 * The console benchmarks' staff member (`npm run bench -- admin`, `admin-metrics`): an account granted `role` the
 * way `npm run admin:grant` does, signed in over HTTP; returns the session cookie the requests carry.
 */
export async function signInBenchStaff(
  stack: TBenchStack,
  staff: { email: string; name: string; role: 'support' | 'admin'; reason: string },
): Promise<string> {
  await seedUser(stack.admin.db, { email: staff.email, password: BENCH_PASSWORD, name: staff.name });
  await grantRole(stack.admin.db, {
    email: staff.email,
    role: staff.role,
    reason: staff.reason,
    actor: 'system:bench',
  });
  return signInOverHttp(stack, staff.email);
}
