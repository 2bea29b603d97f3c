// Browser-safe entry (`@omg/platform/client`): nothing here may import Node.js modules or server code.
export { fetchJson, NETWORK_ERROR_MESSAGE, type TFetchJsonOptions } from './fetch-json';
export { type TAction, useAction } from './use-action';
