// A parse worker: parseMessage off the main thread, so a large message's MIME decoding never
// delays the SMTP listener's 250s and the second core does the parsing. (Plain JS: a worker
// starts outside tsx's loader, so it registers it before importing the TypeScript.)
import { Buffer } from 'node:buffer';
import { parentPort } from 'node:worker_threads';

try {
  const { register } = await import('tsx/esm/api');
  register();
} catch {
  // Compiled to JavaScript: nothing to register.
}
const { parseMessage } = await import('./parse.js');

parentPort.on('message', async ({ id, raw, envelopeFrom, attachmentPrefix }) => {
  try {
    const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    const parsed = await parseMessage(bytes, { envelopeFrom, attachmentUrl: (a) => `${attachmentPrefix}${a.sha256}` });
    parentPort.postMessage({ id, parsed });
  } catch (err) {
    parentPort.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
