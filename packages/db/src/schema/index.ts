export * from './core';
export * from './hub';
export * from './securevault';
export * from './securevault-folders';
export * from './securevault-shares';
export * from './securevault-thumbnails';
export * from './securevault-vault-access';
export * from './securevault-versions';
