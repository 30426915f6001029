// Durable commits without a disk sync per commit, and without blocking the event loop.
//
// SQLite in WAL mode with synchronous=NORMAL writes each commit to the write-ahead log but does
// not sync it: the commit survives a crash of the app, not a power loss. One `fdatasync` of
// the log afterwards makes every commit written before it durable (that sync is all that
// synchronous=FULL adds to a commit; a checkpoint syncs the log before it copies it into the
// database and the database after, so a commit already checkpointed is on disk too). Done by
// hand, the sync runs on libuv's thread pool, so while the disk works the app keeps serving, and
// every commit made meanwhile shares the next sync: a group commit. (better-sqlite3 is
// synchronous: with synchronous=FULL the sync ran on the event loop, one per commit, and no
// other SMTP session could even reach its commit meanwhile.)
import fs from 'node:fs/promises';

/**
 * Wraps `sync` so that concurrent callers share syncs. A caller is released by a sync that
 * started after it called (one already running may have begun before the caller's commit, so
 * it does not count): at most two syncs per round of callers, however many they are.
 */
export function groupSync(sync: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let next: Promise<void> | null = null;
  const request = (): Promise<void> => {
    if (!running) {
      running = sync().finally(() => {
        running = null;
      });
      return running;
    }
    next ??= running
      .catch(() => undefined)
      .then(() => {
        next = null;
        return request();
      });
    return next;
  };
  return request;
}

/**
 * `fdatasync` of an SQLite database's write-ahead log, opened for the sync (a descriptor kept
 * open would outlive a log that SQLite removed and made anew). No log file: nothing is waiting
 * in one (SQLite removes it only after checkpointing it, with syncs, into the database).
 */
export function walSync(databaseFile: string): () => Promise<void> {
  const log = `${databaseFile}-wal`;
  return async () => {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(log, 'r+');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    try {
      await handle.datasync();
    } finally {
      await handle.close();
    }
  };
}
