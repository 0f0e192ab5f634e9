// Every queue and job of Otklik, in one place. Payloads are ids and small parameters only:
// the database row owns the state, and a worker reloads it (docs/conventions.md, "Jobs").
import type { JobsOptions } from 'bullmq';

import { QueueName } from '../common/queue-names';

export { QueueName };

/**
 * How long a worker owns a message it claimed (delivery) and a send job it holds (the send lanes'
 * BullMQ lockDuration): one number, so a message is never reclaimed while its job is still held.
 */
export const SEND_LEASE_SECONDS = 30;

export enum JobName {
  PruneOutbox = 'maintenance.prune-outbox',
  PruneSessions = 'maintenance.prune-sessions',
  /** One campaign message: job id = message id. */
  SendBulk = 'delivery.send-bulk',
  /** One transactional message (order status, birthday, double opt-in): job id = message id. */
  SendTransactional = 'delivery.send-transactional',
  /** Every minute: start the runs of campaigns that are due. */
  CampaignsTick = 'campaigns.tick',
  /** Freeze a run's audience into Message rows. */
  PrepareRun = 'campaigns.prepare-run',
  /** Enqueue a run's queued messages in windows, then watch the run until it completes. */
  FeedRun = 'campaigns.feed-run',
  /** A/B test: pick the winning variant and release the rest of the audience to it. */
  DecideAbTest = 'campaigns.decide-ab-test',
  /** Pause a sending run (and its campaign) with a reason: our relay refused our message or account. */
  PauseRun = 'campaigns.pause-run',
  /** Run one CSV import (customers or orders) whose file was uploaded into import_chunks. */
  ImportRun = 'customers.import-run',
  /** Send the double opt-in email of a customer whose email consent is pending, as a transactional message. */
  SendConsentConfirmation = 'customers.send-consent-confirmation',
  /** Recompute RFM, ABC/XYZ and the A–E rating of every customer (nightly, or a run requested through the API). */
  ScoringRecompute = 'scoring.recompute',
  /** Every 15 minutes: preference-page pauses whose time is up opt their channel in again. */
  EndConsentPauses = 'tracking.end-consent-pauses',
  /** Every minute: birthdays, welcome series, win-back and re-engagement scans, and held trigger messages whose time has come. */
  TriggersTick = 'triggers.tick',
  /** Parse, classify and apply one stored inbound message: job id = `inbound-<id>`. */
  ProcessInbound = 'feedback.process-inbound',
  /** Every minute: messages whose send job was lost (Redis lost its data) get it again. */
  DeliverySweep = 'delivery.sweep',
  /** Every minute: the campaign guard over running campaigns, and inbound rows whose job was lost. */
  FeedbackSweep = 'feedback.sweep',
  /** Every minute: store the unseen messages of the IMAP_URL mailbox as inbound messages. */
  PollImap = 'feedback.poll-imap',
  /** A recipient refused by our relay while sending (SMTP 5xx): record the bounce like an inbound one. Job id = `send-bounce-<message id>`. */
  RecordSendBounce = 'feedback.record-send-bounce',
}

/** The payload of each job, by name. */
export interface JobPayloads {
  [JobName.PruneOutbox]: { olderThanDays: number };
  [JobName.PruneSessions]: Record<string, never>;
  [JobName.SendBulk]: { messageId: string };
  [JobName.SendTransactional]: { messageId: string };
  [JobName.CampaignsTick]: Record<string, never>;
  [JobName.PrepareRun]: { runId: number };
  /** `after`: the last message id already enqueued (a decimal string; message ids are bigint). */
  [JobName.FeedRun]: { runId: number; after: string };
  [JobName.DecideAbTest]: { runId: number };
  /** `reason`: one line, shown as the run's and the campaign's status reason. */
  [JobName.PauseRun]: { runId: number; reason: string };
  [JobName.ImportRun]: { importJobId: number };
  /** `eventId`: the consent event that asked (absent in jobs queued before it was added). */
  [JobName.SendConsentConfirmation]: { customerId: number; eventId?: number };
  /** `runId`: the scoring_runs row of a requested run; the nightly job has none and makes its own. */
  [JobName.ScoringRecompute]: { runId?: number };
  [JobName.EndConsentPauses]: Record<string, never>;
  [JobName.TriggersTick]: Record<string, never>;
  /** `inboundId`: the inbound_messages row (a decimal string; ids are bigint). */
  [JobName.ProcessInbound]: { inboundId: string };
  [JobName.DeliverySweep]: Record<string, never>;
  [JobName.FeedbackSweep]: Record<string, never>;
  [JobName.PollImap]: Record<string, never>;
  /** `messageId`: the failed message (its status reason holds the SMTP reply); `addressHash`: the address it was refused for. */
  [JobName.RecordSendBounce]: { messageId: string; addressHash: string | null };
}

export type JobOf<N extends JobName = JobName> = N extends JobName ? { name: N; data: JobPayloads[N] } : never;

export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.PruneOutbox]: QueueName.Maintenance,
  [JobName.PruneSessions]: QueueName.Maintenance,
  [JobName.SendBulk]: QueueName.Bulk,
  [JobName.SendTransactional]: QueueName.Transactional,
  [JobName.CampaignsTick]: QueueName.Campaigns,
  [JobName.PrepareRun]: QueueName.Campaigns,
  [JobName.FeedRun]: QueueName.Campaigns,
  [JobName.DecideAbTest]: QueueName.Campaigns,
  [JobName.PauseRun]: QueueName.Campaigns,
  [JobName.ImportRun]: QueueName.Maintenance,
  [JobName.SendConsentConfirmation]: QueueName.Transactional,
  [JobName.ScoringRecompute]: QueueName.Maintenance,
  [JobName.EndConsentPauses]: QueueName.Maintenance,
  // Not maintenance: a long import there must not hold birthday greetings back.
  [JobName.TriggersTick]: QueueName.Campaigns,
  [JobName.ProcessInbound]: QueueName.Feedback,
  // Beside the campaign feeder, not in maintenance, where a long import could hold it back.
  [JobName.DeliverySweep]: QueueName.Campaigns,
  [JobName.FeedbackSweep]: QueueName.Feedback,
  [JobName.PollImap]: QueueName.Feedback,
  [JobName.RecordSendBounce]: QueueName.Feedback,
};

const DEFAULTS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { count: 1000 },
  removeOnFail: { count: 5000 },
};

/** Per-job options, applied by the one enqueue function (JobQueue). */
export const JOB_OPTIONS: Record<JobName, JobsOptions> = {
  [JobName.PruneOutbox]: { ...DEFAULTS, attempts: 3 },
  [JobName.PruneSessions]: { ...DEFAULTS, attempts: 3 },
  // Send jobs vanish once done: a million-recipient run must not leave a million job hashes
  // in Redis, and the Message row keeps the outcome. Transient SMTP errors retry for ~8 min.
  [JobName.SendBulk]: { ...DEFAULTS, attempts: 8, removeOnComplete: true, removeOnFail: { count: 10000 } },
  [JobName.SendTransactional]: { ...DEFAULTS, attempts: 8, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: true },
  [JobName.CampaignsTick]: { ...DEFAULTS, attempts: 1 },
  [JobName.PrepareRun]: { ...DEFAULTS, attempts: 5 },
  [JobName.FeedRun]: { ...DEFAULTS, attempts: 10, removeOnComplete: true },
  [JobName.DecideAbTest]: { ...DEFAULTS, attempts: 5 },
  // Enqueued under `pause-run-<run id>` by every failing send of the run; gone once done, so a
  // run resumed and failing again is paused again.
  [JobName.PauseRun]: { ...DEFAULTS, attempts: 5, removeOnComplete: true, removeOnFail: true },
  // An import is idempotent (upserts), so a retry after a crash simply runs it again.
  [JobName.ImportRun]: { ...DEFAULTS, attempts: 3, backoff: { type: 'exponential', delay: 10000 } },
  [JobName.SendConsentConfirmation]: { ...DEFAULTS, attempts: 8, backoff: { type: 'exponential', delay: 1000 } },
  // One transaction: a failed attempt leaves the old scores, so a retry simply runs it again.
  [JobName.ScoringRecompute]: { ...DEFAULTS, attempts: 2, backoff: { type: 'fixed', delay: 60000 } },
  // Each pause is ended in its own step and the next run picks up what is left.
  [JobName.EndConsentPauses]: { ...DEFAULTS, attempts: 1 },
  // The next minute's tick is the retry: firings are unique, so nothing is lost or doubled.
  [JobName.TriggersTick]: { ...DEFAULTS, attempts: 1, removeOnComplete: { count: 100 } },
  // The inbound row owns the state (applied once, in one transaction), so retries are harmless;
  // jobs vanish once done: the row keeps the outcome.
  [JobName.ProcessInbound]: { ...DEFAULTS, attempts: 6, removeOnComplete: true },
  // The next minute's sweep is the retry; re-enqueued jobs keep their message's job id.
  [JobName.DeliverySweep]: { ...DEFAULTS, attempts: 1, removeOnComplete: { count: 100 } },
  [JobName.FeedbackSweep]: { ...DEFAULTS, attempts: 1 },
  // The next minute's poll is the retry; a message is flagged seen only once stored.
  [JobName.PollImap]: { ...DEFAULTS, attempts: 1 },
  // Recorded once per message (the handler skips a message whose send bounce is already there).
  [JobName.RecordSendBounce]: { ...DEFAULTS, attempts: 6, removeOnComplete: true },
};

/** Recurring jobs the scheduler role keeps registered (cron in the server's time zone). */
export const SCHEDULES: ReadonlyArray<{ id: string; pattern: string; job: (env: { outboxRetentionDays: number }) => JobOf }> = [
  {
    id: 'prune-outbox',
    pattern: '17 3 * * *',
    job: (env) => ({ name: JobName.PruneOutbox, data: { olderThanDays: env.outboxRetentionDays } }),
  },
  { id: 'prune-sessions', pattern: '23 * * * *', job: () => ({ name: JobName.PruneSessions, data: {} }) },
  { id: 'campaigns-tick', pattern: '* * * * *', job: () => ({ name: JobName.CampaignsTick, data: {} }) },
  { id: 'scoring-nightly', pattern: '41 2 * * *', job: () => ({ name: JobName.ScoringRecompute, data: {} }) },
  { id: 'end-consent-pauses', pattern: '*/15 * * * *', job: () => ({ name: JobName.EndConsentPauses, data: {} }) },
  { id: 'triggers-tick', pattern: '* * * * *', job: () => ({ name: JobName.TriggersTick, data: {} }) },
  { id: 'delivery-sweep', pattern: '* * * * *', job: () => ({ name: JobName.DeliverySweep, data: {} }) },
  { id: 'feedback-sweep', pattern: '* * * * *', job: () => ({ name: JobName.FeedbackSweep, data: {} }) },
  { id: 'feedback-poll-imap', pattern: '* * * * *', job: () => ({ name: JobName.PollImap, data: {} }) },
];

/**
 * The job id of a send job: its message id (BullMQ refuses plain integers as custom ids). One id
 * per message means a second enqueue of the same message is a no-op while its job exists.
 */
export function messageJobId(messageId: bigint | string): string {
  return `msg-${messageId}`;
}

export const ALL_QUEUES = Object.values(QueueName);
export const ALL_JOBS = Object.values(JobName);
