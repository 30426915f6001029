// What other domains may call of patrons: find or create one in a transaction, mark a contact
// point failing (bounces), list them in search order, and the rule on personal notes.
export {
  createPatronIn,
  patronForEmail,
  touchPatron,
  patronsInOrder,
  markContactFailing,
  markEmailFailing,
  emailWorks,
  findPatronByAnyEmail as findPatronByEmail,
  type NewPatron,
} from './service.js';
export { personalNotesOf } from './queries.js';
export { canSeePersonal } from './policy.js';
export { patronJobTypes, reindexPatronsBatch } from './jobs.js';
