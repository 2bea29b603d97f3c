import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { ZDocumentParamsSchema } from '@/lib/documents/document-view';
import { spaceOf } from '@/lib/spaces/space-of-session';
import { listVersions } from '@/lib/versions/list-versions';

/** The document's versions, current first, and how many the space keeps (issue 16 §4). */
export const GET = apiRoute({ params: ZDocumentParamsSchema }, async ({ session, params }) =>
  Response.json(await listVersions(db(), { ...spaceOf(session), documentId: params.id })),
);
