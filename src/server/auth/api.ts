// What the rest of the server may call of sign-in and sessions.
export { resolveSession, sessionView, SESSION_MAX_MS } from './service.js';
