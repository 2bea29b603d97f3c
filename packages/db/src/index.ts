export { createDatabase, isDatabaseReachable, type TDatabase, type TDatabaseHandle } from './client';
export * as schema from './schema';
