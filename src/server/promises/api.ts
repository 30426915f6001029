// What other domains may call of promises: make one inside their own transaction (a booked
// call back, say), which puts the case in status promised; release one no longer owed (that
// callback cancelled); name the owner of a promise the team makes; and the job handlers.
export { makePromise, releasePromise, teamPromiseOwner, type MakePromiseInput } from './lifecycle.js';
export { promiseJobTypes } from './jobs.js';
