import { schema, type TDatabase } from '@omg/db';
import { asc, eq } from 'drizzle-orm';

export interface TPasskeyListItem {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** The account's passkeys for the Account page, oldest first (never the keys or credential ids). */
export async function listPasskeys(database: TDatabase, userId: string): Promise<TPasskeyListItem[]> {
  const rows = await database
    .select({
      id: schema.passkey.id,
      name: schema.passkey.name,
      createdAt: schema.passkey.createdAt,
      lastUsedAt: schema.passkey.lastUsedAt,
    })
    .from(schema.passkey)
    .where(eq(schema.passkey.userId, userId))
    .orderBy(asc(schema.passkey.createdAt), asc(schema.passkey.id));
  return rows.map((row) => ({ ...row, name: row.name || 'Passkey' }));
}
