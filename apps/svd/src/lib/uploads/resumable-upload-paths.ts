/**
 * The resumable upload's constants that the vault page's browser code needs, in a module without zod: importing
 * them from resumable-upload.types brought zod's core (about 30 KB gzipped) into `/vault` (issue 13's budget).
 */

/** Where the tus endpoint is mounted (app/api/uploads/tus/[[...id]]/route.ts); upload URLs are below it. */
export const TUS_PATH = '/api/uploads/tus';

/** Files above this go through tus in the vault page (resumable); smaller ones keep the one-request upload. */
export const RESUMABLE_THRESHOLD_BYTES = 8 * 1024 * 1024;
