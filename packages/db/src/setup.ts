export {
  findFreePort,
  isPortFree,
  PortInUseError,
  startEmbeddedPostgres,
  type TEmbeddedPostgres,
} from './embedded';
export { MIGRATIONS_FOLDER, migrateDatabase } from './migrate';
export { applyRoleGrants, credentialsFromUrl, type TRoleCredentials, urlWithCredentials } from './roles';
export { DEMO_ACCOUNT, seedCatalog, seedDemoAccount, seedUser } from './seed';
