export { createApiHandler, parseJsonBody, type THandlerContext } from './api-handler';
export { createApiRoute, type TApiRouteContext, type TApiRouteOptions } from './api-route';
export {
  AppError,
  databaseErrorCode,
  ERROR_STATUS,
  isDatabaseUnavailable,
  isPaymentProviderUnavailable,
  isUniqueViolation,
  PAYMENTS_UNAVAILABLE_MESSAGE,
  type TErrorBody,
  type TErrorCode,
  toErrorResponse,
} from './app-error';
export {
  addressBucket,
  clientAddressHeader,
  clientAddressOf,
  normalizeAddress,
  resolveClientAddress,
  ZTrustedProxyHopsSchema,
} from './client-address';
export { EnvError, exitOnInvalidEnvironment, parseEnv } from './env';
export { healthResponse, livenessResponse, READINESS_TIMEOUT_MS } from './health';
export { escapeHtml, htmlPage } from './html';
export { createLogger, type TLogger } from './logger';
export {
  assertPassThroughJson,
  jsonNestingDepth,
  MAX_JSON_DEPTH,
  MAX_JSON_STRING_LENGTH,
} from './pass-through-json';
export {
  CONTROL_CHARACTERS_MESSAGE,
  hasControlCharacters,
  hasInvisibleCharacters,
  INVISIBLE_CHARACTERS_MESSAGE,
  stripControlAndInvisible,
  ZPlainTextSchema,
  ZTypedNameSchema,
} from './plain-text';
export { readLimitedText } from './read-limited-text';
export {
  MAX_REDIRECT_TARGET_LENGTH,
  normalizeRedirectTarget,
  OWN_ORIGIN_VARIABLES,
  ownOrigins,
  safeRedirectTarget,
  type TRedirectPolicy,
} from './redirect-target';
export { REQUEST_ID_HEADER, REQUEST_PATH_HEADER, requestIdFrom } from './request-id';
export {
  assertAllowedOrigin,
  CROSS_SITE_MESSAGE,
  isAllowedOrigin,
  isStateChanging,
  type TOriginPolicy,
} from './request-origin';
export {
  contentSecurityPolicy,
  createNonce,
  NONCE_HEADER,
  STRIPE_HOSTED_ORIGINS,
  securityHeaders,
  type TSecurityPolicy,
} from './security-headers';
