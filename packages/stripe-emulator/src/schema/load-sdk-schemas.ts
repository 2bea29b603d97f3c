import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type GenerateOptions,
  generateSdkSchemas,
  type SdkSchemas,
  stripeSdkDir,
} from './generate-sdk-schemas';

const memory = new Map<string, SdkSchemas>();

/**
 * The SDK's schemas for these options, generated once and then kept in memory and in a git-ignored cache file
 * under `node_modules/.cache`. The cache key covers the SDK's version and the generator's own source, so
 * upgrading the `stripe` package (or changing the generator) regenerates them: strictness follows the SDK.
 */
export function loadSdkSchemas(options: GenerateOptions = {}): SdkSchemas {
  const sdkDir = stripeSdkDir();
  const here = dirname(fileURLToPath(import.meta.url));
  const key = createHash('sha256')
    .update(readFileSync(join(sdkDir, 'package.json')))
    .update(readFileSync(join(here, 'generate-sdk-schemas.ts')))
    .update(
      JSON.stringify([
        [...(options.operations ?? [])].sort(),
        !!options.responses,
        [...(options.eventTypes ?? [])].sort(),
      ]),
    )
    .digest('hex')
    .slice(0, 24);
  const cached = memory.get(key);
  if (cached) return cached;
  const file = join(sdkDir, '..', '.cache', 'omg-stripe-emulator', `sdk-schemas-${key}.json`);
  let schemas: SdkSchemas;
  try {
    schemas = JSON.parse(readFileSync(file, 'utf8')) as SdkSchemas;
  } catch {
    schemas = generateSdkSchemas(options);
    try {
      mkdirSync(dirname(file), { recursive: true });
      // Written aside and renamed, so a parallel test worker never reads half a file.
      const partial = `${file}.${process.pid}.tmp`;
      writeFileSync(partial, JSON.stringify(schemas));
      renameSync(partial, file);
    } catch {
      // A read-only node_modules only costs the regeneration next time.
    }
  }
  memory.set(key, schemas);
  return schemas;
}
