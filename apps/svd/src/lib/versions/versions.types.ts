import { z } from 'zod';

/** Former versions kept per document when a space has not chosen (securevault."VersionSetting"). */
export const DEFAULT_KEEP_VERSIONS = 10;
export const MAX_KEEP_VERSIONS = 100;

/**
 * What an upload does when the folder already holds a live document of the same name (case-insensitively):
 * 'ask' (the default) refuses with 409 and the choice, 'version' makes the upload a new version of that
 * document, 'keep_both' stores it beside it as "name (2).ext".
 */
export const ZOnNameConflictSchema = z.enum(['ask', 'version', 'keep_both']);
export type TOnNameConflict = z.infer<typeof ZOnNameConflictSchema>;

export const ZVersionParamsSchema = z.object({
  id: z.string().uuid('Unknown document.'),
  versionId: z.string().uuid('Unknown version.'),
});

export const ZVersionSettingSchema = z.object({
  keepVersions: z
    .number('Say how many versions to keep.')
    .int('Say how many versions to keep, as a whole number.')
    .min(0, 'Keep between 0 and 100 versions.')
    .max(MAX_KEEP_VERSIONS, 'Keep between 0 and 100 versions.'),
});
export type TVersionSetting = z.infer<typeof ZVersionSettingSchema>;

export interface TVersionView {
  /** null for the current version (the document itself). */
  id: string | null;
  current: boolean;
  sizeBytes: number;
  mimeType: string;
  sha256: string | null;
  /** Who uploaded this content. */
  uploadedBy: string;
  uploadedByEmail: string | null;
  /** When it was uploaded — for the current version, when it became current (uploaded or restored). */
  createdAt: string;
  /** When it stopped being current (former versions only). */
  replacedAt: string | null;
}
