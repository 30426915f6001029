// What other domains may call of the email channel: queue an email inside their own
// transaction (a reply, an acknowledgement, a reminder); main.ts starts the runtime.
export { queueMail, queueMails, type MailKind, type MailMessage, type MailRecipient, type QueuedMail } from './outbox.js';
export { createMailRuntime, type MailRuntime, type MailRuntimeOptions } from './runtime.js';
export { addTeamAddressIn, setRelayIn, setTeamWritingIn, type RelayInput, type TeamWriting } from './settings.js';
export { createInboundDoor, type InboundDoor } from './inbound.js';
export { createMailListener, type MailListener, type MailListenerOptions } from './listener.js';
export { acknowledgeNewCase } from './acknowledge.js';
export { eraseMailOfPatron } from './erase.js';
