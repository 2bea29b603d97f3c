import { requireApiSession } from '@/lib/auth/api-session';
import { db } from '@/lib/db';
import { listDocuments, ZListDocumentsSchema } from '@/lib/documents/list-documents';
import { apiHandler } from '@/lib/logger';

/** GET /api/documents?vaultId=&q=&sort=name|createdAt|sizeBytes&order=asc|desc */
export const GET = apiHandler(async (request) => {
  const { userId } = await requireApiSession(request);
  const query = ZListDocumentsSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return Response.json({ documents: await listDocuments(db(), { ...query, userId }) });
});
