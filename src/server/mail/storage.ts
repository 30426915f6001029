// Where attachment bytes live: content-addressed (SHA-256) per organization, in the database by
// default so that several app instances on one PostgreSQL need no shared disk. An
// S3-compatible store can implement the same two calls later.
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { Database } from '../db/types.js';
import type { TxContext } from '../platform/context.js';
import * as q from './queries.js';

export interface StoredBlob {
  size: number;
  /** The bytes, read as a stream (a store may stream from elsewhere). */
  stream(): Readable;
}

export interface AttachmentStore {
  /** Keeps the bytes under their hash, inside the transaction that records the attachment. Idempotent. */
  put(ctx: TxContext, orgId: number, sha256: string, content: Buffer): Promise<void>;
  open(db: Kysely<Database>, orgId: number, sha256: string): Promise<StoredBlob | null>;
  /** Drops the bytes of those hashes that no attachment of the organization uses any more. */
  removeUnused(ctx: TxContext, orgId: number, sha256s: string[]): Promise<void>;
}

/** Chunks streamed to the client, so one download does not hold the socket for one huge write. */
const CHUNK = 64 * 1024;

export const databaseStore: AttachmentStore = {
  async put(ctx, orgId, sha256, content) {
    await q.putBlob(ctx.tx, { org_id: orgId, sha256, size: content.length, content, created_at: ctx.clock.now() });
  },
  async removeUnused(ctx, orgId, sha256s) {
    if (sha256s.length) await q.deleteUnusedBlobs(ctx.tx, orgId, sha256s);
  },
  async open(db, orgId, sha256) {
    const row = await q.blobContent(db, orgId, sha256);
    if (!row) return null;
    const content = Buffer.from(row.content);
    return {
      size: row.size,
      stream: () =>
        Readable.from(
          (function* () {
            for (let i = 0; i < content.length; i += CHUNK) yield content.subarray(i, i + CHUNK);
          })(),
        ),
    };
  },
};
