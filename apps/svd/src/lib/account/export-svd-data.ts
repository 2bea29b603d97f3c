import { schema, type TDatabase } from '@omg/db';
import { and, asc, eq, gt, isNull } from 'drizzle-orm';

/** Rows read per query for documents, so memory stays flat however many a user has. */
const PAGE = 500;

export function svdExportFilename(now: Date): string {
  return `securevault-docs-data-${now.toISOString().slice(0, 10)}.json`;
}

/**
 * What SecureVault Docs holds about one user, as one JSON document written piece by piece: the profile SVD keeps,
 * vaults, each document's metadata (name, type, size, dates, indexing state and checksum) and its former
 * versions' (type, size, checksum, when uploaded and replaced), processing usage, and
 * SVD's sign-in sessions. The documents' contents are not inlined (each is downloadable from the vault); neither
 * are keys or extracted text.
 */
export async function* exportSvdData(
  database: TDatabase,
  userId: string,
  now: Date = new Date(),
): AsyncGenerator<string> {
  const json = (value: unknown) => JSON.stringify(value);
  const [profile] = await database
    .select({
      userId: schema.userProfile.userId,
      email: schema.userProfile.email,
      name: schema.userProfile.name,
      accountType: schema.userProfile.accountType,
      createdAt: schema.userProfile.createdAt,
      lastLoginAt: schema.userProfile.lastLoginAt,
    })
    .from(schema.userProfile)
    .where(eq(schema.userProfile.userId, userId));
  yield `{"exportedAt":${json(now.toISOString())},"profile":${json(profile ?? null)}`;

  const vaults = await database
    .select({
      id: schema.vault.id,
      name: schema.vault.name,
      createdAt: schema.vault.createdAt,
      updatedAt: schema.vault.updatedAt,
    })
    .from(schema.vault)
    // The user's own data: team vaults and what they uploaded to them are the team's (issue 15).
    .where(and(eq(schema.vault.userId, userId), isNull(schema.vault.organizationId)))
    .orderBy(asc(schema.vault.createdAt));
  yield `,"vaults":${json(vaults)}`;

  yield ',"documents":[';
  let after = '';
  let first = true;
  for (;;) {
    const documents = await database
      .select({
        id: schema.document.id,
        vaultId: schema.document.vaultId,
        name: schema.document.name,
        mimeType: schema.document.mimeType,
        sizeBytes: schema.document.sizeBytes,
        state: schema.document.state,
        sha256: schema.document.sha256,
        pages: schema.document.pages,
        indexStatus: schema.document.indexStatus,
        processingUnits: schema.document.processingUnits,
        createdAt: schema.document.createdAt,
        updatedAt: schema.document.updatedAt,
      })
      .from(schema.document)
      .where(
        and(
          eq(schema.document.userId, userId),
          isNull(schema.document.organizationId),
          gt(schema.document.id, after),
        ),
      )
      .orderBy(asc(schema.document.id))
      .limit(PAGE);
    for (const document of documents) {
      yield `${first ? '' : ','}${json(document)}`;
      first = false;
    }
    if (documents.length < PAGE) break;
    after = documents[documents.length - 1]?.id ?? after;
  }
  yield ']';

  // Each document's former versions (issue 16 §4): metadata only, like the documents; they count against storage.
  yield ',"documentVersions":[';
  let afterVersion = '';
  first = true;
  for (;;) {
    const v = schema.documentVersion;
    const d = schema.document;
    const versions = await database
      .select({
        id: v.id,
        documentId: v.documentId,
        mimeType: v.mimeType,
        sizeBytes: v.sizeBytes,
        sha256: v.sha256,
        createdAt: v.createdAt,
        replacedAt: v.replacedAt,
      })
      .from(v)
      .innerJoin(d, eq(d.id, v.documentId))
      .where(and(eq(d.userId, userId), isNull(d.organizationId), gt(v.id, afterVersion)))
      .orderBy(asc(v.id))
      .limit(PAGE);
    for (const version of versions) {
      yield `${first ? '' : ','}${json(version)}`;
      first = false;
    }
    if (versions.length < PAGE) break;
    afterVersion = versions[versions.length - 1]?.id ?? afterVersion;
  }
  yield ']';

  const usage = await database
    .select({
      periodStart: schema.processingUsage.periodStart,
      unitsUsed: schema.processingUsage.unitsUsed,
    })
    .from(schema.processingUsage)
    .where(eq(schema.processingUsage.userId, userId))
    .orderBy(asc(schema.processingUsage.periodStart));
  yield `,"processingUsage":${json(usage)}`;

  const sessions = await database
    .select({ createdAt: schema.svdSession.createdAt, expiresAt: schema.svdSession.expiresAt })
    .from(schema.svdSession)
    .where(eq(schema.svdSession.userId, userId))
    .orderBy(asc(schema.svdSession.createdAt));
  yield `,"sessions":${json(sessions)}}`;
}
