// The names of Otklik's queues. They live apart from the job catalogue (queue/job-catalogue.ts
// re-exports them) so that the environment schema can validate WORKER_QUEUES without
// importing the queue module.
export enum QueueName {
  /** Order notifications, birthday greetings, double opt-in: never waits behind bulk. */
  Transactional = 'transactional',
  /** Campaign messages. */
  Bulk = 'bulk',
  /** Inbound mail and webhooks to classify and apply. */
  Feedback = 'feedback',
  /** Housekeeping fired by the scheduler role. */
  Maintenance = 'maintenance',
  /** Campaign runs: freezing audiences and feeding their messages to the bulk lane. */
  Campaigns = 'campaigns',
}
