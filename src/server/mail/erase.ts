// Erasure on a patron's request, the email side: the messages they sent keep only what reports
// count (when, which case, the ids threading uses) and lose their bytes, sender and subject; their
// attachments go, and so do the stored bytes no other message uses (content-addressed, a file two
// patrons sent stays for the other); mail sent on their cases loses its bytes and recipients, and
// what was not sent yet never will be. Runs inside the patron domain's erasure transaction.
import type { TxContext } from '../platform/context.js';
import * as q from './queries.js';
import { databaseStore, type AttachmentStore } from './storage.js';

export const ERASED_MAIL = 'Not sent: the patron asked to be erased.';

export async function eraseMailOfPatron(
  ctx: TxContext,
  orgId: number,
  patronId: number,
  addresses: string[],
  store: AttachmentStore = databaseStore,
): Promise<{ inbound: number; outbound: number }> {
  const ids = (await q.patronInboundIds(ctx.tx, orgId, patronId, addresses)).map((r) => r.id);
  if (ids.length) {
    const hashes = (await q.attachmentHashesOf(ctx.tx, ids)).map((r) => r.sha256);
    await q.deleteAttachmentsOf(ctx.tx, ids);
    await store.removeUnused(ctx, orgId, hashes);
    await q.blankInbound(ctx.tx, ids);
  }
  const outbound = await q.blankOutboxOfPatron(ctx.tx, orgId, patronId, ERASED_MAIL, ctx.clock.now());
  return { inbound: ids.length, outbound };
}
