import PgBoss from 'pg-boss';
import { MAIL_QUEUE, MAIL_RETRY, PG_BOSS_SCHEMA } from './queue';

/**
 * Creates (or upgrades) pg-boss's schema and the mail queue, as the admin role: pg-boss creates a table per queue,
 * and the Hub's role has no CREATE anywhere. The Hub and the worker then run pg-boss with `migrate: false` and
 * only read and write its rows (grants in @omg/db's applyRoleGrants). Safe to repeat. `queue`: tests use a queue of their own.
 */
export async function prepareMailQueue(adminUrl: string, queue: string = MAIL_QUEUE): Promise<void> {
  const boss = new PgBoss({
    connectionString: adminUrl,
    schema: PG_BOSS_SCHEMA,
    supervise: false,
    schedule: false,
    max: 1,
  });
  boss.on('error', () => {});
  await boss.start();
  try {
    if (!(await boss.getQueue(queue))) await boss.createQueue(queue, { name: queue, ...MAIL_RETRY });
  } finally {
    await boss.stop({ graceful: false });
  }
}
