import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { listDocuments, ZListDocumentsSchema } from '@/lib/documents/list-documents';
import { spaceOf } from '@/lib/spaces/space-of-session';

/** GET /api/documents?vaultId=&q=&type=pdf|image|text|other&from=YYYY-MM-DD&to=YYYY-MM-DD&sort=name|createdAt|sizeBytes&order=asc|desc */
export const GET = apiRoute({ query: ZListDocumentsSchema }, async ({ session, query }) =>
  Response.json({ documents: await listDocuments(db(), { ...query, ...spaceOf(session) }) }),
);
