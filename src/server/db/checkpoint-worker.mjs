// The SQLite checkpointer's thread (db/checkpointer.ts): its own connection to the database
// file, which copies the write-ahead log into the database when asked. A passive checkpoint
// waits for no reader or writer, so the app's connection never waits for it; its syncs (of the
// log before copying, of the database after) happen here, not on the app's event loop.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = NORMAL');

parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.postMessage({ ok: true, closed: true });
    return;
  }
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ ok: true, busy: result.busy, log: result.log, checkpointed: result.checkpointed });
  } catch (err) {
    parentPort.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) });
  }
});
