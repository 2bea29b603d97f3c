import { apiRoute } from '@/lib/api-route';
import { spaceOf } from '@/lib/spaces/space-of-session';
import { handleTusRequest } from '@/lib/uploads/tus-server';

/**
 * The tus 1.0 endpoint for large files (issue 16 §7): POST /api/uploads/tus creates an upload (Upload-Length,
 * Upload-Metadata vaultId/filename/filetype), HEAD /api/uploads/tus/:id says where it stands, PATCH sends bytes
 * from that offset, DELETE abandons it. apiRoute applies what every SVD route has — the cross-site rule to
 * the unsafe methods, a live session (ended with its Hub session) — and the body stays a raw stream (outside
 * proxy.ts, so Next.js never buffers it). lib/uploads/tus-server.ts does the rest.
 */
const tus = apiRoute({ body: 'raw' }, ({ request, session, log }) =>
  handleTusRequest(request, { ...spaceOf(session), log }),
);

export const POST = tus;
export const HEAD = tus;
export const PATCH = tus;
export const DELETE = tus;
export const OPTIONS = tus;
