// Browser-safe entry (`@omg/platform/client`): nothing here may import Node.js modules or server code.

// Pure URL parsing, no server code: client components check a target again before navigating to it.
export { normalizeRedirectTarget, safeRedirectTarget } from '../redirect-target';
export { FetchJsonError, fetchJson, NETWORK_ERROR_MESSAGE, type TFetchJsonOptions } from './fetch-json';
export { type TAction, useAction } from './use-action';
