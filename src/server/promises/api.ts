// What other domains may call of promises: make one inside their own transaction (a booked
// call back, say), which puts the case in status promised; and the job handlers for main.ts.
export { makePromise, type MakePromiseInput } from './lifecycle.js';
export { promiseJobTypes } from './jobs.js';
