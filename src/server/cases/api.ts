// What other domains may call of cases: open one, change one (status, team, assignee only
// through `changeCase`), record a patron's message, add to a timeline, find one, show one.
export {
  openCase,
  changeCase,
  recordPatronMessage,
  addTimelineEntry,
  reindexCase,
  type OpenCaseInput,
  type CaseChange,
  type ChangeOptions,
  type EntryInput,
} from './lifecycle.js';
export { requireCase } from './policy.js';
export { listQueue } from './queue.js';
export { isOpen } from './transitions.js';
export { caseSummaries, conversation, findCaseById, findCaseByNumber, findCaseByToken, firstEntryTexts, type SummaryRow } from './queries.js';
export { formatRef, parseRef, toCaseSummary } from './views.js';
