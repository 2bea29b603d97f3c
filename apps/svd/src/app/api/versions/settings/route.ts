import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { spaceOf } from '@/lib/spaces/space-of-session';
import { vaultStorage } from '@/lib/vault-storage';
import { discardVersionBlobs } from '@/lib/versions/discard-version-blobs';
import { getVersionSetting, setVersionSetting } from '@/lib/versions/version-setting';
import { ZVersionSettingSchema } from '@/lib/versions/versions.types';

/** How many former versions the space keeps per document. */
export const GET = apiRoute({}, async ({ session }) =>
  Response.json(await getVersionSetting(db(), spaceOf(session))),
);

/** Changes it (a team's owners and admins); versions beyond it are pruned at once. */
export const PUT = apiRoute({ body: ZVersionSettingSchema }, async ({ session, body, log }) => {
  const { setting, prunedStorageKeys } = await setVersionSetting(db(), { ...spaceOf(session), ...body });
  await discardVersionBlobs(db(), vaultStorage().store, prunedStorageKeys, log);
  return Response.json({ ...setting, pruned: prunedStorageKeys.length });
});
