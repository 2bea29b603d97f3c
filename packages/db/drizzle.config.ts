import { defineConfig } from 'drizzle-kit';

// Generating migrations reads only the schema files; no database connection is needed.
export default defineConfig({
  dialect: 'postgresql',
  schema: './packages/db/src/schema/index.ts',
  out: './packages/db/drizzle',
  schemaFilter: ['core', 'hub', 'securevault'],
});
