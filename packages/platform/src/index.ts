export { createApiHandler, parseJsonBody, type THandlerContext } from './api-handler';
export {
  AppError,
  ERROR_STATUS,
  isDatabaseUnavailable,
  type TErrorBody,
  type TErrorCode,
  toErrorResponse,
} from './app-error';
export { EnvError, exitOnInvalidEnvironment, parseEnv } from './env';
export { healthResponse } from './health';
export { escapeHtml, htmlPage } from './html';
export { createLogger, type TLogger } from './logger';
export { REQUEST_ID_HEADER, REQUEST_PATH_HEADER, requestIdFrom } from './request-id';
export { isSafeReturnUrl } from './return-url';
