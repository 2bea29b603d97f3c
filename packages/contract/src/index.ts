export * from './billing-terms';
export * from './catalog';
export * from './constants';
export * from './launch-state';
export * from './sso';
export * from './subscription-status';
