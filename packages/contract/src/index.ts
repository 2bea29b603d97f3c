export * from './catalog';
export * from './constants';
