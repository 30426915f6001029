// Privacy requests: export everything held on a patron, or erase it. Erasure on request: the patron is anonymized (name, contacts, notes, needs, what they wrote)
// and leaves the search index; what statistics count stays (cases, their times, channels and
// outcomes, value records' amounts), so every report gives the same numbers. One-way hashes of
// the erased emails and phones let an import skip them with a reason instead of re-creating
// the person; someone who writes in again simply starts fresh.
import crypto from 'node:crypto';
import type { PatronExport } from '../../contracts/patrons.js';
import { formatRef, reindexCase } from '../cases/api.js';
import { eraseMailOfPatron } from '../mail/api.js';
import type { ContactKind } from '../db/types.js';
import type { Actor } from '../platform/actor.js';
import { audit } from '../platform/audit.js';
import type { Platform } from '../platform/context.js';
import { inTransaction } from '../platform/tx.js';
import { refreshDuplicates } from './duplicates.js';
import { requireLivePatron } from './policy.js';
import { getPatron } from './profile.js';
import * as q from './queries.js';
import { indexPersonalNotes, reindexPatron } from './service.js';

export const ERASED_NAME = 'Erased patron';
export const ERASED_TEXT = '[Erased at the patron’s request]';

/** The one-way hash kept of an erased contact point (per organization). */
export const erasedHash = (orgId: number, kind: ContactKind, value: string) =>
  crypto.createHash('sha256').update(`${orgId}:${kind}:${value}`).digest('hex');

export async function erasePatron(p: Platform, actor: Actor, id: number): Promise<{ ok: true }> {
  await inTransaction(p, async (ctx) => {
    await requireLivePatron(ctx.tx, actor, id);
    await q.lockPatrons(ctx.tx, actor.orgId, [id], ctx.lockRows);
    const contacts = await q.contactsOf(ctx.tx, [id]);
    const now = ctx.clock.now();
    await q.insertErasedHashes(
      ctx.tx,
      contacts.map((c) => ({ org_id: actor.orgId, hash: erasedHash(actor.orgId, c.kind, c.value), at: now })),
    );
    // Before the contact points go: they name the addresses the patron's mail came from.
    const mail = await eraseMailOfPatron(ctx, actor.orgId, id, contacts.filter((c) => c.kind === 'email').map((c) => c.value));
    await q.deletePersonalRows(ctx.tx, id);
    await q.updatePatron(ctx.tx, id, {
      name: ERASED_NAME,
      preferred_name: null,
      email: null,
      phone: null,
      phone_digits: null,
      email_failing_at: null,
      email_failing_reason: null,
      language: null,
      pronouns: null,
      accessibility: null,
      contact_channel: null,
      contact_best_time: null,
      do_not_contact_at: null,
      asked_for_user_id: null,
      name_key: null,
      household_id: null,
      erased_at: now,
      updated_at: now,
    });
    for (const c of await q.blankPatronMessages(ctx.tx, id, ERASED_TEXT)) await reindexCase(ctx, c);
    await reindexPatron(ctx, id);
    await indexPersonalNotes(ctx, actor.orgId, id);
    await refreshDuplicates(ctx, id);
    // The audit row names the patron by id only: the erased values are gone from here too.
    await audit(ctx, { orgId: actor.orgId, actorId: actor.userId, action: 'patron.erased', targetType: 'patron', targetId: id, detail: { contacts: contacts.length, inboundMail: mail.inbound, outboundMail: mail.outbound }, ip: actor.ip });
  });
  return { ok: true };
}

/** Everything held on one patron, in one answer (a privacy request). */
export async function exportPatron(p: Platform, actor: Actor, id: number): Promise<PatronExport> {
  const patron = await getPatron(p, actor, id);
  const [{ cases, entries }, records, log, org] = await Promise.all([
    q.casesForExport(p.db, actor.orgId, patron.id),
    q.valueRecordsOf(p.db, patron.id, 100_000),
    q.auditAbout(p.db, actor.orgId, patron.id),
    q.orgSettingsOf(p.db, actor.orgId),
  ]);
  // A privacy request: who took a copy of everything on whom, and how much.
  await inTransaction(p, (ctx) =>
    audit(ctx, { orgId: actor.orgId, actorId: actor.userId, action: 'patron.exported', targetType: 'patron', targetId: patron.id, detail: { cases: cases.length, valueRecords: records.length }, ip: actor.ip }),
  );
  return {
    exportedAt: p.clock.now(),
    patron,
    allValueRecords: records.map((r) => ({ id: r.id, occurredOn: r.occurred_on, kind: r.kind, amountMinor: Number(r.amount_minor), currency: r.currency, source: r.source })),
    cases: cases.map((c) => ({
      ref: formatRef(org.case_prefix, c.number),
      subject: c.subject,
      channel: c.channel,
      status: c.status,
      createdAt: c.created_at,
      messages: entries.filter((e) => e.case_id === c.id).map((e) => ({ kind: e.kind, body: e.body, by: e.by, at: e.created_at })),
    })),
    audit: log.map((a) => ({ action: a.action, at: a.created_at, detail: a.detail })),
  };
}
