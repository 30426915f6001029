// Parsing in worker threads: a few workers, each taking the next message; a worker that dies
// takes its messages down with an error (the parse job retries) and is replaced. Without
// workers (they failed to start) messages are parsed on the main thread, as before.
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { parseMessage, type ParsedMessage } from './parse.js';

export interface ParseRequest {
  raw: Buffer;
  envelopeFrom: string | null;
  /** The `src` prefix for cid: images; the attachment's SHA-256 follows. */
  attachmentPrefix: string;
}

export interface ParsePool {
  parse(r: ParseRequest): Promise<ParsedMessage>;
  close(): Promise<void>;
}

export const inlineParse = (r: ParseRequest) =>
  parseMessage(r.raw, { envelopeFrom: r.envelopeFrom, attachmentUrl: (a) => `${r.attachmentPrefix}${a.sha256}` });

type Pending = { resolve: (m: ParsedMessage) => void; reject: (e: Error) => void };

/** Structured clone turns Buffers into Uint8Arrays: make them Buffers again. */
function revive(m: ParsedMessage): ParsedMessage {
  return { ...m, attachments: m.attachments.map((a) => ({ ...a, content: Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength) })) };
}

export function createParsePool(size = Math.max(1, Math.min(2, os.cpus().length - 1))): ParsePool {
  const url = new URL('./parse-worker.mjs', import.meta.url);
  const workers: { w: Worker; pending: Map<number, Pending> }[] = [];
  let seq = 0;
  let next = 0;
  let closed = false;

  const spawn = (slot: number) => {
    const w = new Worker(url);
    const pending = new Map<number, Pending>();
    w.on('message', (msg: { id: number; parsed?: ParsedMessage; error?: string }) => {
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.parsed) p.resolve(revive(msg.parsed));
      else p.reject(new Error(msg.error ?? 'the parse worker failed'));
    });
    const fail = (err: Error) => {
      for (const p of pending.values()) p.reject(err);
      pending.clear();
      if (!closed) spawn(slot);
    };
    w.on('error', fail);
    w.on('exit', (code) => code !== 0 && !closed && fail(new Error(`the parse worker stopped (${code})`)));
    w.unref();
    workers[slot] = { w, pending };
  };
  try {
    for (let i = 0; i < size; i++) spawn(i);
  } catch {
    return { parse: inlineParse, close: async () => {} };
  }

  return {
    parse(r) {
      const slot = workers[next++ % workers.length]!;
      const id = ++seq;
      return new Promise<ParsedMessage>((resolve, reject) => {
        slot.pending.set(id, { resolve, reject });
        slot.w.postMessage({ id, raw: r.raw, envelopeFrom: r.envelopeFrom, attachmentPrefix: r.attachmentPrefix });
      });
    },
    async close() {
      closed = true;
      await Promise.all(workers.map((s) => s.w.terminate()));
    },
  };
}
