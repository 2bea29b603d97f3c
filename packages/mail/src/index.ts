export {
  enqueueEmail,
  type TEnqueueOptions,
  type TMailRetry,
  type TOutgoingEmail,
  ZOutgoingEmailSchema,
} from './enqueue-email';
export { startMailWorker, type TMailWorker } from './mail-worker';
export { prepareMailQueue } from './prepare-mail-queue';
export { MAIL_QUEUE, MAIL_RETRY, PG_BOSS_SCHEMA } from './queue';
export { checkSendCondition, type TSendCondition, ZSendConditionSchema } from './send-condition';
