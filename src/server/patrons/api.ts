// What other domains may call of patrons: find or create one in a transaction, mark a contact,
// list them in search order, and the rule on personal notes.
export {
  createPatronIn,
  patronForEmail,
  touchPatron,
  patronsInOrder,
  markEmailFailing,
  markContactFailing,
  emailWorks,
  type NewPatron,
} from './service.js';
export { findPatronByEmail, personalNotesOf } from './queries.js';
export { canSeePersonal } from './policy.js';
