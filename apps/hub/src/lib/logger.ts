import { createApiHandler, createLogger } from '@omg/platform';

export const logger = createLogger('hub');
export const apiHandler = createApiHandler(logger);
