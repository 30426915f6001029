// Outbound mail for the jobs that deliver it: one interface, a real relay or a catch-all.
export * from './mailer.js';
export { createSmtpMailer, type SmtpRelaySettings } from './smtp.js';
export { CatchAllMailer, type CaughtMessage } from './catch-all.js';
