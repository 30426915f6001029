// What the desk remembers of a patron beyond the name: contact points (several, labelled,
// one preferred per kind, failing ones marked), ongoing needs with every status they went
// through, and relationship value records (never for volunteers).
import type { ContactPointBody, ContactPointUpdateBody, NeedBody, NeedUpdateBody, ValueRecordBody } from '../../contracts/patrons.js';
import type { Actor } from '../platform/actor.js';
import { audit } from '../platform/audit.js';
import type { Platform } from '../platform/context.js';
import { conflict, notFound } from '../platform/errors.js';
import { inTransaction } from '../platform/tx.js';
import { countryOf } from './normalize.js';
import { requireLivePatron, requireValueAccess } from './policy.js';
import { getPatron } from './profile.js';
import * as q from './queries.js';
import { normalizeContact, reindexPatron, syncPreferred } from './service.js';

export async function addContact(p: Platform, actor: Actor, id: number, input: ContactPointBody) {
  await inTransaction(p, async (ctx) => {
    await requireLivePatron(ctx.tx, actor, id);
    const country = countryOf((await q.orgSettingsOf(ctx.tx, actor.orgId)).locale);
    const value = normalizeContact(input.kind, input.value, country, 'value', true);
    const mine = await q.contactsOf(ctx.tx, [id]);
    if (mine.some((c) => c.kind === input.kind && c.value === value)) throw conflict('This patron already has it.', 'value');
    if (input.preferred) await q.clearPreferred(ctx.tx, id, input.kind);
    await q.insertContact(ctx.tx, {
      org_id: actor.orgId,
      patron_id: id,
      kind: input.kind,
      value,
      label: input.label ?? null,
      preferred: input.preferred ? 1 : 0,
      created_at: ctx.clock.now(),
    });
    await syncPreferred(ctx, id);
    await reindexPatron(ctx, id);
  });
  return getPatron(p, actor, id);
}

export async function updateContact(p: Platform, actor: Actor, id: number, contactId: number, input: ContactPointUpdateBody) {
  await inTransaction(p, async (ctx) => {
    await requireLivePatron(ctx.tx, actor, id);
    const contact = await q.findContact(ctx.tx, actor.orgId, id, contactId);
    if (!contact) throw notFound('Contact point');
    if (input.preferred) await q.clearPreferred(ctx.tx, id, contact.kind);
    await q.updateContact(ctx.tx, contactId, {
      ...(input.label !== undefined ? { label: input.label || null } : {}),
      ...(input.preferred ? { preferred: 1 } : {}),
      ...(input.failing !== undefined
        ? input.failing
          ? { failing_at: contact.failing_at ?? ctx.clock.now(), failing_reason: contact.failing_reason ?? 'Marked at the desk' }
          : { failing_at: null, failing_reason: null }
        : {}),
    });
    await syncPreferred(ctx, id);
  });
  return getPatron(p, actor, id);
}

export async function deleteContact(p: Platform, actor: Actor, id: number, contactId: number) {
  await inTransaction(p, async (ctx) => {
    await requireLivePatron(ctx.tx, actor, id);
    const contact = await q.findContact(ctx.tx, actor.orgId, id, contactId);
    if (!contact) throw notFound('Contact point');
    await q.deleteContact(ctx.tx, contactId);
    await syncPreferred(ctx, id);
    await reindexPatron(ctx, id);
  });
  return getPatron(p, actor, id);
}

export async function addNeed(p: Platform, actor: Actor, id: number, input: NeedBody) {
  await inTransaction(p, async (ctx) => {
    await requireLivePatron(ctx.tx, actor, id);
    const now = ctx.clock.now();
    const need = await q.insertNeed(ctx.tx, {
      org_id: actor.orgId,
      patron_id: id,
      title: input.title,
      status: 'open',
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
    });
    await q.insertNeedEvent(ctx.tx, { need_id: need.id, status: 'open', note: input.note ?? null, by_user_id: actor.userId, at: now });
  });
  return getPatron(p, actor, id);
}

export async function updateNeed(p: Platform, actor: Actor, id: number, needId: number, input: NeedUpdateBody) {
  await inTransaction(p, async (ctx) => {
    await requireLivePatron(ctx.tx, actor, id);
    const need = await q.findNeed(ctx.tx, actor.orgId, id, needId);
    if (!need) throw notFound('Need');
    const now = ctx.clock.now();
    await q.updateNeed(ctx.tx, needId, {
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(input.status !== undefined ? { status: input.status } : {}),
      updated_at: now,
    });
    // The history keeps every status move, and a note said along the way.
    if ((input.status !== undefined && input.status !== need.status) || input.note) {
      await q.insertNeedEvent(ctx.tx, {
        need_id: needId,
        status: input.status ?? need.status,
        note: input.note ?? null,
        by_user_id: actor.userId,
        at: now,
      });
    }
  });
  return getPatron(p, actor, id);
}

export async function addValueRecord(p: Platform, actor: Actor, id: number, input: ValueRecordBody) {
  requireValueAccess(actor);
  await inTransaction(p, async (ctx) => {
    await requireLivePatron(ctx.tx, actor, id);
    const org = await q.orgSettingsOf(ctx.tx, actor.orgId);
    await q.insertValueRecord(ctx.tx, {
      org_id: actor.orgId,
      patron_id: id,
      occurred_on: input.occurredOn,
      kind: input.kind,
      amount_minor: input.amountMinor,
      currency: input.currency ?? org.currency,
      source: input.source,
      external_id: null,
      import_batch_id: null,
      created_by: actor.userId,
      created_at: ctx.clock.now(),
    });
  });
  return getPatron(p, actor, id);
}

export async function deleteValueRecord(p: Platform, actor: Actor, id: number, recordId: number) {
  requireValueAccess(actor);
  await inTransaction(p, async (ctx) => {
    await requireLivePatron(ctx.tx, actor, id);
    const record = await q.findValueRecord(ctx.tx, actor.orgId, id, recordId);
    if (!record) throw notFound('Value record');
    await q.deleteValueRecord(ctx.tx, recordId);
    await audit(ctx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: 'patron.value_deleted',
      targetType: 'patron',
      targetId: id,
      detail: { recordId, kind: record.kind, amountMinor: Number(record.amount_minor), currency: record.currency },
      ip: actor.ip,
    });
  });
  return getPatron(p, actor, id);
}
