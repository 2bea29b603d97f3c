import { afterAll, describe, expect, it } from 'vitest';
import { connectAs } from './testing';
import { withAdvisoryLock } from './with-advisory-lock';

const hub = connectAs('hub');

afterAll(async () => {
  await hub.pool.end();
});

/** A promise and the function that settles it: lets a test hold a lock open for as long as it wants. */
function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describe('withAdvisoryLock', () => {
  it('makes a second holder of the same key wait until the first transaction ends', async () => {
    const key = `test:${Math.random()}`;
    const order: string[] = [];
    const release = gate();
    const first = withAdvisoryLock(hub.db, key, async () => {
      order.push('first in');
      await release.opened;
      order.push('first out');
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = withAdvisoryLock(hub.db, key, async () => {
      order.push('second in');
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(order).toEqual(['first in']);
    release.open();
    await Promise.all([first, second]);
    expect(order).toEqual(['first in', 'first out', 'second in']);
  });

  it('lets different keys run side by side, and nests inside a transaction holding another key', async () => {
    const release = gate();
    const order: string[] = [];
    const a = withAdvisoryLock(hub.db, `test:a:${Math.random()}`, async () => {
      order.push('a');
      await release.opened;
    });
    // b starts once a holds its lock (each opens its own connection; under load b's could otherwise win the race).
    while (!order.includes('a')) await new Promise((resolve) => setTimeout(resolve, 10));
    const b = withAdvisoryLock(hub.db, `test:b:${Math.random()}`, async (tx) =>
      withAdvisoryLock(tx, `test:c:${Math.random()}`, async () => {
        order.push('b+c');
      }),
    );
    await b;
    expect(order).toEqual(['a', 'b+c']);
    release.open();
    await a;
  });

  it('releases the lock when the work throws, and passes the error on', async () => {
    const key = `test:${Math.random()}`;
    await expect(
      withAdvisoryLock(hub.db, key, async () => {
        throw new Error('work failed');
      }),
    ).rejects.toThrow('work failed');
    await expect(withAdvisoryLock(hub.db, key, async () => 'free again')).resolves.toBe('free again');
  });
});
