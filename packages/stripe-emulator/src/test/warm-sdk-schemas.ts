import { Router } from '../http/router';
import { registerApi } from '../resources';
import { loadSdkSchemas } from '../schema/load-sdk-schemas';

/**
 * Vitest global setup: builds the emulator's parameter schemas once, before any worker starts an emulator, so a
 * fresh checkout does not pay the few seconds of generation inside every test file's first start.
 */
export function setup(): void {
  loadSdkSchemas({ operations: registerApi(new Router()).operations() });
}
