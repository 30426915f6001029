// What other domains may call of notifications: tell a person something in the app, inside
// the caller's transaction, at most once per key (a job that may run twice).
export { notify, notifyMany, type NewNotification } from './service.js';
