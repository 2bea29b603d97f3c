export * from './core';
export * from './hub';
export * from './securevault';
