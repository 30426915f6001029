// Durable jobs: rows in the `jobs` table, enqueued in the transaction of the change that needs
// them, run by a JobRunner in every app instance. Knows nothing of HTTP.
export { defineJob, defineRecurring, retryDelay, type AnyJobType, type BatchItem, type Job, type JobBatch, type JobType } from './define.js';
export { enqueueJob, enqueueJobs, jobEnqueuer, type EnqueueOptions, type JobEnqueuer } from './enqueue.js';
export { JobRunner, LeaseLost, wakeRunners, type RunnerOptions } from './runner.js';
export { DONE_RETENTION_MS, purgeFinishedJobs } from './retention.js';
export { discardJob, retryDeadJob } from './queries.js';
