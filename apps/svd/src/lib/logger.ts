import { createApiHandler, createLogger } from '@omg/platform';

export const logger = createLogger('svd');
export const apiHandler = createApiHandler(logger);
