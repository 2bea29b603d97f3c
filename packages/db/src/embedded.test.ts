import { existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findFreePort, isPortFree, PortInUseError, startEmbeddedPostgres } from './embedded';

describe('startEmbeddedPostgres', () => {
  it('says clearly that its port is taken, before touching the data folder', async () => {
    const port = await findFreePort();
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      expect(await isPortFree(port)).toBe(false);
      const dataDir = path.join(os.tmpdir(), `never-created-${port}`, 'data');
      const attempt = startEmbeddedPostgres({
        dataDir,
        port,
        password: 'unused',
        database: 'unused',
      });
      await expect(attempt).rejects.toBeInstanceOf(PortInUseError);
      await expect(attempt).rejects.toThrow(`Port ${port} is already in use`);
      await expect(attempt).rejects.toThrow('EMBEDDED_PG_PORT');
      expect(existsSync(path.dirname(dataDir))).toBe(false);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });
});
