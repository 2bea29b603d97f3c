/**
 * The Hub's entry point for command-line tools (`scripts/`, as `@omg/hub/maintenance`): they import operations
 * from here, never from lib/ paths, so moving a file inside the app cannot break a script. Everything exported
 * here runs outside Next.js: relative imports only (no `@/`), and no env() of the whole Hub.
 */

export {
  sendMigrationInvite,
  type TSendMigrationInviteInput,
} from './lib/account-claim/send-migration-invite';
export {
  grantRole,
  type TGrantRole,
  type TGrantRoleResult,
} from './lib/admin/grant-role';
export {
  KEEP_METRICS_SNAPSHOTS_EVERY_MS,
  keepMetricsSnapshots,
} from './lib/admin/metrics/keep-metrics-snapshots';
export {
  migrateSvdCustomers,
  type TMigrateSvdCustomersInput,
  type TMigrationSummary,
} from './lib/migration/migrate-svd-customers';
export type {
  TMigrationConflict,
  TMigrationHooks,
  TMigrationOutcome,
  TMigrationRowResult,
} from './lib/migration/migration.types';
export { SVD_EXPORT_COLUMNS } from './lib/migration/svd-export-row';
