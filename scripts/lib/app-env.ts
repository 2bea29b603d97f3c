import type { TDatabaseUrls } from './database';

/** The environment both apps are started with, from secrets, database URLs and the shell's own settings. */
export function appEnvironment(options: {
  secrets: Record<string, string>;
  urls: TDatabaseUrls;
  hubUrl: string;
  svdUrl: string;
  nodeEnv: 'development' | 'production' | 'test';
  storageDir: string;
}): NodeJS.ProcessEnv {
  const { secrets, urls } = options;
  return {
    ...process.env,
    ...secrets,
    ...urls,
    NODE_ENV: options.nodeEnv,
    NEXT_TELEMETRY_DISABLED: '1',
    STORAGE_DIR: process.env.STORAGE_DIR ?? options.storageDir,
    HUB_URL: process.env.HUB_URL ?? options.hubUrl,
    SVD_URL: process.env.SVD_URL ?? options.svdUrl,
  };
}
