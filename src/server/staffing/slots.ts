// Take the time: the team calendar of slots (callbacks, appointments) with a capacity each, and
// bookings of them by associates (from the case screen) or by patrons (the public help form).
// A place is taken by one conditional UPDATE, so a slot is never booked past its capacity
// however many book at once. A booking makes a promise to the patron (see promiseForBooking),
// and cancelling it releases that promise.
import type {
  BookingView,
  PublicBookingBody,
  PublicBookingResult,
  PublicSlots,
  SlotList,
  SlotsBody,
  StaffBookingBody,
} from '../../contracts/staffing.js';
import { findOrgBySlug } from '../admin/api.js';
import { addTimelineEntry, findCaseById, formatRef, openCase, requireCase } from '../cases/api.js';
import type { PromiseHow } from '../db/types.js';
import { patronForEmail } from '../patrons/api.js';
import { makePromise, releasePromise, teamPromiseOwner } from '../promises/api.js';
import type { Actor } from '../platform/actor.js';
import type { Platform, TxContext } from '../platform/context.js';
import { badRequest, conflict, notFound } from '../platform/errors.js';
import { inTransaction } from '../platform/tx.js';
import { instantOf, isoToDay, localTime, minutesOf } from './calendar.js';
import { requireTeamOf } from './policy.js';
import * as q from './queries.js';

const MAX_SLOTS_PER_RUN = 200;
const PUBLIC_DAYS = 14;

type SlotRow = Awaited<ReturnType<typeof q.slotsBetween>>[number];
const toSlotView = (s: SlotRow) => ({
  id: s.id,
  teamId: s.team_id,
  channel: s.channel,
  startsAt: s.starts_at,
  lengthMinutes: s.length_minutes,
  capacity: s.capacity,
  booked: s.booked,
});

export async function listSlots(p: Platform, actor: Actor, teamId: number, from: string | undefined, days: number): Promise<SlotList> {
  await requireTeamOf(p.db, actor, teamId);
  const timeZone = await orgTimeZone(p, actor.orgId);
  const first = from ? isoToDay(from) : localTime(timeZone, p.clock.now()).day;
  const rows = await q.slotsBetween(p.db, teamId, instantOf(timeZone, first, 0), instantOf(timeZone, first + days, 0));
  return { timeZone, items: rows.map(toSlotView) };
}

export async function addSlots(p: Platform, actor: Actor, teamId: number, body: SlotsBody): Promise<SlotList> {
  const from = minutesOf(body.from);
  const to = minutesOf(body.to);
  const count = Math.floor((to - from) / body.lengthMinutes);
  if (count < 1) throw badRequest('leaves no room for one slot of that length', 'to');
  if (count > MAX_SLOTS_PER_RUN) throw badRequest(`would make more than ${MAX_SLOTS_PER_RUN} slots`, 'lengthMinutes');
  return inTransaction(p, async (ctx) => {
    await requireTeamOf(ctx.tx, actor, teamId);
    const timeZone = await orgTimeZone(ctx, actor.orgId);
    const day = isoToDay(body.day);
    const now = ctx.clock.now();
    const rows = await q.insertSlots(
      ctx.tx,
      Array.from({ length: count }, (_, i) => ({
        org_id: actor.orgId,
        team_id: teamId,
        channel: body.channel,
        starts_at: instantOf(timeZone, day, from + i * body.lengthMinutes),
        length_minutes: body.lengthMinutes,
        capacity: body.capacity,
        created_by: actor.userId,
        created_at: now,
      })),
    );
    return { timeZone, items: rows.map(toSlotView) };
  });
}

export async function deleteSlot(p: Platform, actor: Actor, id: number): Promise<{ ok: true }> {
  await inTransaction(p, async (ctx) => {
    const slot = await q.findSlot(ctx.tx, actor.orgId, id);
    if (!slot) throw notFound('Slot');
    if ((await q.deleteFreeSlot(ctx.tx, actor.orgId, id)) === 0) throw conflict('This slot has bookings; cancel them first.');
  });
  return { ok: true };
}

async function orgTimeZone(c: Platform | TxContext, orgId: number): Promise<string> {
  const tz = await q.orgTimeZone('tx' in c ? c.tx : c.db, orgId);
  if (!tz) throw notFound('Organization');
  return tz;
}

/** "Tue 1 Dec, 10:00–10:15" in the organization's time zone and locale. */
function slotWords(startsAt: number, lengthMinutes: number, timeZone: string, locale = 'en-US'): string {
  const day = new Intl.DateTimeFormat(locale, { timeZone, weekday: 'short', day: 'numeric', month: 'short' }).format(startsAt);
  const time = new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return `${day}, ${time.format(startsAt)}–${time.format(startsAt + lengthMinutes * 60_000)}`;
}

/**
 * A booking is a promise to the patron ("we will call you back on Tue 1 Dec, 10:00–10:15"),
 * due by the slot's end, made in the booking's transaction. Its owner is who booked it, else
 * (booked by the patron on the help form) the case's assignee or the team's supervisor. The
 * patron chose the time, so their consent is on record. A case without a patron has no one to
 * call back: refused.
 */
async function promiseForBooking(
  ctx: TxContext,
  slot: SlotRow,
  b: { orgId: number; caseId: number; what: string; byUserId: number | null },
): Promise<number> {
  const kase = await findCaseById(ctx.tx, b.orgId, b.caseId);
  if (!kase) throw notFound('Case');
  if (kase.patron_id === null) throw badRequest('has no patron to call back or meet: add the patron first', 'caseRef');
  const owner = b.byUserId ?? (await teamPromiseOwner(ctx.tx, b.orgId, { assigneeId: kase.assignee_id, teamId: slot.team_id }));
  if (owner === null) throw conflict('No one in the team can own this booking: add a supervisor to the team first.', 'slotId');
  const row = await makePromise(ctx, {
    orgId: b.orgId,
    caseId: b.caseId,
    ownerUserId: owner,
    what: b.what,
    window: { from: slot.starts_at, to: slot.starts_at + slot.length_minutes * 60_000 },
    how: HOW_OF_CHANNEL[slot.channel] ?? 'in_person',
    permissionAsked: true,
    patronAnswer: b.byUserId === null ? 'Booked it on the help form' : null,
    byUserId: b.byUserId,
  });
  return row.id;
}

/** How a slot's promise is kept: a phone slot is a call back, an email one a written answer, the rest a meeting. */
const HOW_OF_CHANNEL: Partial<Record<SlotRow['channel'], PromiseHow>> = { phone: 'call', email: 'email' };

/** Takes a place in the slot, records the booking on the case, makes the promise. */
async function bookPlace(
  ctx: TxContext,
  slot: SlotRow,
  c: { orgId: number; caseId: number; byUserId: number | null; note: string; timeZone: string },
): Promise<number> {
  if (slot.starts_at <= ctx.clock.now()) throw conflict('This slot has already begun.', 'slotId');
  if (!(await q.takePlace(ctx.tx, slot.id))) throw conflict('This slot is full; please choose another.', 'slotId');
  const words = slotWords(slot.starts_at, slot.length_minutes, c.timeZone);
  const { id } = await q.insertBooking(ctx.tx, {
    org_id: c.orgId,
    slot_id: slot.id,
    case_id: c.caseId,
    booked_by: c.byUserId,
    note: c.note,
    promise_id: null,
    created_at: ctx.clock.now(),
  });
  const promiseId = await promiseForBooking(ctx, slot, {
    orgId: c.orgId,
    caseId: c.caseId,
    what: `${slot.channel === 'phone' ? 'Call back' : 'Meet'} ${words}${c.note ? ` (${c.note})` : ''}`,
    byUserId: c.byUserId,
  });
  await q.setBookingPromise(ctx.tx, id, promiseId);
  return id;
}

type BookingRow = NonNullable<Awaited<ReturnType<typeof q.findBooking>>>;
const toBookingView = (b: BookingRow, prefix: string): BookingView => ({
  id: b.id,
  slotId: b.slot_id,
  startsAt: b.starts_at,
  lengthMinutes: b.length_minutes,
  caseRef: formatRef(prefix, b.case_number),
  note: b.note,
  promiseId: b.promise_id,
  cancelledAt: b.cancelled_at,
});

export async function bookForCase(p: Platform, actor: Actor, slotId: number, body: StaffBookingBody): Promise<BookingView> {
  return inTransaction(p, async (ctx) => {
    const row = await requireCase(ctx.tx, actor, body.caseRef, ctx.lockRows);
    const slot = await q.findSlot(ctx.tx, actor.orgId, slotId);
    if (!slot) throw notFound('Slot');
    const timeZone = await orgTimeZone(ctx, actor.orgId);
    const id = await bookPlace(ctx, slot, { orgId: actor.orgId, caseId: row.id, byUserId: actor.userId, note: body.note ?? '', timeZone });
    await addTimelineEntry(ctx, row, {
      kind: 'note',
      channel: null,
      body: `Booked ${slot.channel === 'phone' ? 'a callback' : 'an appointment'}: ${slotWords(slot.starts_at, slot.length_minutes, timeZone)}${body.note ? ` (${body.note})` : ''}`,
      road: null,
      authorUserId: actor.userId,
      authorPatronId: null,
    });
    const booking = await q.findBooking(ctx.tx, actor.orgId, id);
    return toBookingView(booking!, actor.casePrefix);
  });
}

export async function caseBookings(p: Platform, actor: Actor, ref: string): Promise<{ items: BookingView[] }> {
  const row = await requireCase(p.db, actor, ref);
  const rows = await q.bookingsOfCase(p.db, row.id);
  return { items: rows.map((b) => toBookingView(b, actor.casePrefix)) };
}

export async function cancelBooking(p: Platform, actor: Actor, id: number): Promise<BookingView> {
  return inTransaction(p, async (ctx) => {
    const b = await q.findBooking(ctx.tx, actor.orgId, id, ctx.lockRows);
    if (!b) throw notFound('Booking');
    if ((await q.cancelBookingRow(ctx.tx, id, ctx.clock.now())) === 1) {
      await q.givePlaceBack(ctx.tx, b.slot_id);
      if (b.promise_id !== null) await releasePromise(ctx, b.promise_id, { byUserId: actor.userId, reason: 'The booking was cancelled' });
    }
    return toBookingView((await q.findBooking(ctx.tx, actor.orgId, id))!, actor.casePrefix);
  });
}

// ---- the public help form ----------------------------------------------------------------------

/** The team the help form reaches takes the time on some channel: it offers slots. */
async function publicTeam(db: Platform['db'], slug: string) {
  const org = await findOrgBySlug(db, slug);
  if (!org) throw notFound('Organization');
  const teamId = org.default_team_id;
  const modes = teamId === null ? [] : await q.teamModes(db, teamId);
  return { org, teamId, offered: teamId !== null && modes.some((m) => m.mode === 'take_time') };
}

export async function publicSlots(p: Platform, slug: string): Promise<PublicSlots> {
  const { org, teamId, offered } = await publicTeam(p.db, slug);
  if (!offered || teamId === null) return { offered: false, timeZone: org.time_zone, items: [] };
  const now = p.clock.now();
  const today = localTime(org.time_zone, now).day;
  const rows = await q.slotsBetween(p.db, teamId, now, instantOf(org.time_zone, today + PUBLIC_DAYS, 0));
  return {
    offered: true,
    timeZone: org.time_zone,
    items: rows.filter((s) => s.booked < s.capacity).map((s) => ({ id: s.id, startsAt: s.starts_at, lengthMinutes: s.length_minutes, free: s.capacity - s.booked })),
  };
}

export async function publicBook(p: Platform, slug: string, body: PublicBookingBody): Promise<PublicBookingResult | 'discarded'> {
  if (body.website && body.website.trim() !== '') return 'discarded';
  return inTransaction(p, async (ctx) => {
    const { org, teamId, offered } = await publicTeam(ctx.tx, slug);
    const slot = offered && teamId !== null ? await q.findSlot(ctx.tx, org.id, body.slotId) : undefined;
    if (!slot || slot.team_id !== teamId) throw badRequest('is not a slot you can book', 'slotId');
    const patron = await patronForEmail(ctx, org.id, { name: body.name, email: body.email, phone: body.phone });
    const words = slotWords(slot.starts_at, slot.length_minutes, org.time_zone, org.locale);
    const row = await openCase(ctx, {
      orgId: org.id,
      channel: 'web',
      patronId: patron.id,
      subject: `${slot.channel === 'phone' ? 'Callback' : 'Appointment'} booked: ${words}`,
      body: body.message,
      direction: 'in',
      status: 'new',
      priority: 'normal',
      teamId,
      assigneeId: null,
      tags: [],
      createdBy: null,
    });
    await bookPlace(ctx, slot, { orgId: org.id, caseId: row.id, byUserId: null, note: '', timeZone: org.time_zone });
    return {
      reference: formatRef(org.case_prefix, row.number),
      statusUrl: `${ctx.publicUrl}/status/${row.status_token}`,
      startsAt: slot.starts_at,
    };
  });
}
