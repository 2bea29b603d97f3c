import { createLogger } from '@omg/platform';

// Routes are written with apiRoute (lib/api-route.ts), which logs through this.
export const logger = createLogger('svd');
