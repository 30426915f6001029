// Checkpoints of an SQLite database, off the app's event loop. SQLite's automatic checkpoint
// runs inside the commit that crosses the log's threshold (1,000 pages): it copies the log
// into the database and syncs both, on the connection that committed, and better-sqlite3 is
// synchronous, so every few dozen inbound messages one commit held the whole app for the
// length of two disk syncs (the mail benchmark spent half its main-thread time in commits).
// Here the app's connection never checkpoints (wal_autocheckpoint = 0); a worker thread with
// a connection of its own runs a passive checkpoint whenever the log has grown past
// `thresholdBytes`, looked at every `everyMs`.
import fs from 'node:fs/promises';
import { Worker } from 'node:worker_threads';

export interface Checkpointer {
  /** Checkpoints now (tests, and before a backup); resolves with the log's frames checkpointed. */
  checkpoint(): Promise<{ log: number; checkpointed: number }>;
  readonly stats: { checkpoints: number; failures: number; lastError: string | null };
  close(): Promise<void>;
}

export interface CheckpointerOptions {
  thresholdBytes?: number;
  everyMs?: number;
  log?: { warn(obj: unknown, msg?: string): void };
}

type Reply = { ok: true; busy: number; log: number; checkpointed: number } | { ok: false; error: string };

export function startCheckpointer(file: string, opts: CheckpointerOptions = {}): Checkpointer {
  const thresholdBytes = opts.thresholdBytes ?? 4 * 1024 * 1024;
  const everyMs = opts.everyMs ?? 500;
  const worker = new Worker(new URL('./checkpoint-worker.mjs', import.meta.url), { workerData: { file } });
  worker.unref();
  const stats = { checkpoints: 0, failures: 0, lastError: null as string | null };
  // One request at a time: replies come back in order.
  const waiting: ((r: Reply) => void)[] = [];
  let chain: Promise<unknown> = Promise.resolve();
  let closed = false;
  let timer: NodeJS.Timeout | null = null;
  let dead: Error | null = null;

  worker.on('message', (r: Reply) => waiting.shift()?.(r));
  const fail = (err: Error) => {
    dead = err;
    for (const w of waiting.splice(0)) w({ ok: false, error: err.message });
    if (!closed) opts.log?.warn({ err }, 'the SQLite checkpointer stopped; the log is checkpointed when the app closes');
  };
  worker.on('error', fail);
  worker.on('exit', (code) => {
    if (!closed) fail(new Error(`the checkpoint worker exited (${code})`));
  });

  const ask = (): Promise<{ log: number; checkpointed: number }> => {
    const run = chain.then(
      () =>
        new Promise<{ log: number; checkpointed: number }>((resolve, reject) => {
          if (dead) return reject(dead);
          waiting.push((r) => {
            if (r.ok) {
              stats.checkpoints++;
              resolve({ log: r.log, checkpointed: r.checkpointed });
            } else {
              stats.failures++;
              stats.lastError = r.error;
              reject(new Error(r.error));
            }
          });
          worker.postMessage('checkpoint');
        }),
    );
    chain = run.catch(() => undefined);
    return run;
  };

  const tick = async () => {
    timer = null;
    try {
      const { size } = await fs.stat(`${file}-wal`);
      if (size >= thresholdBytes && !closed && !dead) await ask();
    } catch (err) {
      // No log yet (nothing written), or a failed checkpoint: counted, tried again next tick.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') opts.log?.warn({ err }, 'SQLite checkpoint failed');
    }
    if (!closed && !dead) timer = setTimeout(() => void tick(), everyMs).unref();
  };
  timer = setTimeout(() => void tick(), everyMs).unref();

  return {
    stats,
    checkpoint: ask,
    async close() {
      if (closed) return;
      closed = true;
      if (timer) clearTimeout(timer);
      await chain;
      if (dead) return;
      // The worker closes its connection, answers, and is then stopped (it is unref'd: waiting
      // for it to leave on its own would not keep this process alive).
      worker.ref();
      await new Promise<void>((resolve) => {
        waiting.push(() => resolve());
        worker.postMessage('close');
      });
      await worker.terminate();
    },
  };
}
