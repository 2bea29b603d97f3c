import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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
  const hash = (...parts: Array<string | Buffer>) => {
    const h = createHash('sha256');
    for (const part of parts) h.update(part);
    return h.digest('hex').slice(0, 16);
  };
  const source = hash(
    readFileSync(join(sdkDir, 'package.json')),
    readFileSync(join(here, 'generate-sdk-schemas.ts')),
  );
  const key = `${source}-${hash(
    JSON.stringify([
      [...(options.operations ?? [])].sort(),
      !!options.responses,
      [...(options.eventTypes ?? [])].sort(),
    ]),
  )}`;
  const cached = memory.get(key);
  if (cached) return cached;
  const dir = join(sdkDir, '..', '.cache', 'omg-stripe-emulator');
  const file = join(dir, `sdk-schemas-${key}.json`);
  let schemas: SdkSchemas;
  try {
    schemas = JSON.parse(readFileSync(file, 'utf8')) as SdkSchemas;
  } catch {
    schemas = generateSdkSchemas(options);
    try {
      mkdirSync(dir, { recursive: true });
      // Written aside and renamed, so a parallel test worker never reads half a file.
      const partial = `${file}.${process.pid}.tmp`;
      writeFileSync(partial, JSON.stringify(schemas));
      renameSync(partial, file);
      // Files from another SDK version or generator are never read again.
      for (const name of readdirSync(dir)) {
        if (name.endsWith('.json') && !name.startsWith(`sdk-schemas-${source}-`))
          rmSync(join(dir, name), { force: true });
      }
    } catch {
      // A read-only node_modules only costs the regeneration next time.
    }
  }
  memory.set(key, schemas);
  return schemas;
}
