import { randomUUID } from 'node:crypto';
import { createDatabase, type TDatabaseHandle } from '@omg/db';
import { findFreePort } from '@omg/db/setup';
import { testDatabaseUrls } from '@omg/db/testing';
import { sql } from 'drizzle-orm';
import { integer, pgSchema, text } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseErrorCode, isDatabaseUnavailable, isUniqueViolation, toErrorResponse } from './app-error';

// Real errors from the real driver through Drizzle, against the test database: no hand-made error objects.
// A scratch schema of our own (not temporary tables: the pool discards a connection after an error).
let handle: TDatabaseHandle;
const scratch = pgSchema(`errors_${randomUUID().slice(0, 8)}`);
const parent = scratch.table('errors_parent', { id: integer('id').primaryKey() });
const child = scratch.table('errors_child', {
  name: text('name').notNull().unique(),
  size: integer('size').notNull(),
  parentId: integer('parentId'),
});

beforeAll(async () => {
  handle = createDatabase(testDatabaseUrls().DATABASE_URL, { max: 1 });
  await handle.db.execute(sql`CREATE SCHEMA ${sql.identifier(scratch.schemaName)}`);
  await handle.db.execute(sql`CREATE TABLE ${parent} (id integer PRIMARY KEY)`);
  await handle.db.execute(sql`CREATE TABLE ${child} (
    name text NOT NULL UNIQUE,
    size integer NOT NULL CHECK (size >= 0),
    "parentId" integer REFERENCES ${parent} (id),
    code varchar(4)
  )`);
  await handle.db.insert(parent).values({ id: 1 });
  await handle.db.insert(child).values({ name: 'taken', size: 1 });
});

afterAll(async () => {
  await handle.db.execute(sql`DROP SCHEMA ${sql.identifier(scratch.schemaName)} CASCADE`);
  await handle.pool.end();
});

async function thrown(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected the statement to fail');
}

describe('database errors wrapped by Drizzle', () => {
  it('a real unique violation is a 409 with a clear message, found on the cause chain', async () => {
    const error = await thrown(() => handle.db.insert(child).values({ name: 'taken', size: 2 }));
    // Drizzle's own error has no SQLSTATE: the driver's sits on `cause`, which is what broke routes before.
    expect((error as { code?: unknown }).code).toBeUndefined();
    expect(databaseErrorCode(error)).toBe('23505');
    expect(isUniqueViolation(error)).toBe(true);
    const response = toErrorResponse(error);
    expect(response).toEqual({
      status: 409,
      body: { error: { code: 'CONFLICT', message: 'That already exists. Refresh the page and try again.' } },
    });
  });

  it('NUL in a text value is the caller’s bytes: 400, saying so', async () => {
    const error = await thrown(() => handle.db.insert(child).values({ name: 'nul\u0000name', size: 1 }));
    expect(databaseErrorCode(error)).toBe('22021');
    const response = toErrorResponse(error);
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(/cannot be stored/);
  });

  // Decided: these mean validation let something through or our own code wrote a bad row — a loud 500.
  it.each([
    ['22P02 invalid text representation', sql`SELECT ${'abc'}::integer`, '22P02'],
    [
      '22001 value too long',
      sql`INSERT INTO ${child} (name, size, code) VALUES ('a', 1, 'too long')`,
      '22001',
    ],
    ['23503 foreign key', sql`INSERT INTO ${child} (name, size, "parentId") VALUES ('b', 1, 99)`, '23503'],
    ['23514 check', sql`INSERT INTO ${child} (name, size) VALUES ('c', -1)`, '23514'],
    ['23502 not null', sql`INSERT INTO ${child} (name) VALUES ('d')`, '23502'],
  ])('%s stays a 500 that leaks nothing', async (_label, statement, code) => {
    const error = await thrown(() => handle.db.execute(statement));
    expect(databaseErrorCode(error)).toBe(code);
    expect(isDatabaseUnavailable(error)).toBe(false);
    const response = toErrorResponse(error);
    expect(response).toEqual({
      status: 500,
      body: { error: { code: 'INTERNAL', message: 'Something went wrong on our side.' } },
    });
    expect(JSON.stringify(response.body)).not.toMatch(/errors_child|violates|syntax/);
  });

  it('the server terminating our connection (57P01) is a 503', async () => {
    const own = createDatabase(testDatabaseUrls().DATABASE_URL, { max: 1 });
    try {
      const error = await thrown(() => own.db.execute(sql`SELECT pg_terminate_backend(pg_backend_pid())`));
      expect(isDatabaseUnavailable(error)).toBe(true);
      expect(toErrorResponse(error).status).toBe(503);
      expect(toErrorResponse(error).body.error.code).toBe('UNAVAILABLE');
    } finally {
      await own.pool.end();
    }
  });

  it('a connection ended under a transaction in progress fails its next statement as a 503, never crashing the process', async () => {
    const own = createDatabase(testDatabaseUrls().DATABASE_URL, { max: 1 });
    const killer = createDatabase(testDatabaseUrls().DATABASE_URL, { max: 1 });
    try {
      // Between two statements the pool has handed the client out and no longer listens on it: the server ending
      // the connection there emitted an 'error' nobody handled, an uncaught exception (Vitest fails the run on it).
      const error = await thrown(() =>
        own.db.transaction(async (tx) => {
          const [{ pid }] = (await tx.execute<{ pid: number }>(sql`SELECT pg_backend_pid() AS pid`)).rows as [
            { pid: number },
          ];
          await killer.db.execute(sql`SELECT pg_terminate_backend(${pid})`);
          await new Promise((resolve) => setTimeout(resolve, 200));
          await tx.execute(sql`SELECT 1`);
        }),
      );
      expect(isDatabaseUnavailable(error)).toBe(true);
      expect(toErrorResponse(error).status).toBe(503);
      // The pool dropped the broken client and serves again at once.
      expect((await own.db.execute(sql`SELECT 1 AS one`)).rows).toEqual([{ one: 1 }]);
    } finally {
      await own.pool.end();
      await killer.pool.end();
    }
  });

  it('a refused connection through Drizzle is a 503', async () => {
    const port = await findFreePort();
    const dead = createDatabase(`postgres://nobody:nothing@localhost:${port}/none`, { max: 1 });
    try {
      const error = await thrown(() => dead.db.insert(child).values({ name: 'x', size: 1 }));
      expect(isDatabaseUnavailable(error)).toBe(true);
      expect(databaseErrorCode(error)).toBeNull();
      expect(toErrorResponse(error)).toEqual({
        status: 503,
        body: {
          error: {
            code: 'UNAVAILABLE',
            message: 'The service is temporarily unavailable. Please try again shortly.',
          },
        },
      });
    } finally {
      await dead.pool.end();
    }
  });
});
