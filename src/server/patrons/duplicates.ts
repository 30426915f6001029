// Duplicate candidates: found through shared contact points and the folded name (both
// indexed), scored by match.ts, kept in patron_duplicates as patrons change, so a patron's
// likely duplicates and the organization's review list are index reads. "Not the same person"
// is remembered; members of one household are never flagged.
import type { Kysely } from 'kysely';
import type { DuplicateCandidate, DuplicateReviewPage, MatchLevel } from '../../contracts/patrons.js';
import type { Database, PatronRow } from '../db/types.js';
import type { Actor } from '../platform/actor.js';
import { audit } from '../platform/audit.js';
import type { Platform, TxContext } from '../platform/context.js';
import { badRequest } from '../platform/errors.js';
import { inTransaction } from '../platform/tx.js';
import { LIKELY, POSSIBLE, matchPatrons, type MatchSubject } from './match.js';
import { requireLivePatron } from './policy.js';
import * as q from './queries.js';
import { toPatronSummary } from './profile.js';

const levelOf = (score: number): MatchLevel => (score >= LIKELY ? 'likely' : 'possible');

async function subjects(db: Kysely<Database>, rows: PatronRow[]): Promise<MatchSubject[]> {
  const contacts = await q.contactsOf(db, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    emails: contacts.filter((c) => c.patron_id === r.id && c.kind === 'email').map((c) => c.value),
    phones: contacts.filter((c) => c.patron_id === r.id && c.kind === 'phone').map((c) => c.value),
    householdId: r.household_id,
  }));
}

/** Everyone who may be this patron, scored, best first (at or above `possible`). */
export async function findCandidates(db: Kysely<Database>, row: PatronRow) {
  const contacts = await q.contactsOf(db, [row.id]);
  const [byContact, byName, distinct] = await Promise.all([
    q.patronIdsWithContacts(db, row.org_id, contacts),
    row.name_key ? q.patronIdsWithNameKey(db, row.org_id, row.name_key) : [],
    q.distinctFrom(db, row.id),
  ]);
  const ids = [...new Set([...byContact, ...byName])].filter((id) => id !== row.id && !distinct.has(id));
  const others = await q.livePatronsByIds(db, row.org_id, ids);
  if (!others.length) return [];
  const [me, ...them] = await subjects(db, [row, ...others]);
  return them
    .map((o, i) => ({ row: others[i]!, ...matchPatrons(me!, o) }))
    .filter((m) => m.score >= POSSIBLE)
    .sort((x, y) => y.score - x.score || x.row.id - y.row.id);
}

/** Recomputes the patron's candidate pairs (after any change to their name or contacts). */
export async function refreshDuplicates(ctx: TxContext, patronId: number): Promise<void> {
  await q.deleteDuplicatesOf(ctx.tx, patronId);
  const row = await q.findPatronById(ctx.tx, patronId);
  if (!row || row.merged_into_id !== null || row.erased_at !== null) return;
  const found = await findCandidates(ctx.tx, row);
  await q.insertDuplicates(
    ctx.tx,
    found.map((m) => ({
      org_id: row.org_id,
      patron_a: Math.min(row.id, m.row.id),
      patron_b: Math.max(row.id, m.row.id),
      score: m.score,
      reasons: JSON.stringify(m.reasons),
      computed_at: ctx.clock.now(),
    })),
  );
}

/** Beside the patron: the likely ones only. */
export async function likelyDuplicates(p: Platform, actor: Actor, id: number): Promise<DuplicateCandidate[]> {
  await requireLivePatron(p.db, actor, id);
  const pairs = await q.duplicatesOf(p.db, id, LIKELY);
  const others = await q.livePatronsByIds(p.db, actor.orgId, pairs.map((x) => (x.patron_a === id ? x.patron_b : x.patron_a)));
  const byId = new Map(others.map((r) => [r.id, r]));
  return pairs.flatMap((x) => {
    const other = byId.get(x.patron_a === id ? x.patron_b : x.patron_a);
    return other ? [{ patron: toPatronSummary(other), score: x.score, level: levelOf(x.score), reasons: JSON.parse(x.reasons) as string[] }] : [];
  });
}

const encode = (c: { score: number; a: number; b: number }) => Buffer.from(`${c.score}.${c.a}.${c.b}`).toString('base64url');
function decode(cursor: string | undefined) {
  if (!cursor) return null;
  const m = /^(\d{1,3})\.(\d{1,10})\.(\d{1,10})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m) throw badRequest('is not a valid cursor', 'after');
  return { score: Number(m[1]), a: Number(m[2]), b: Number(m[3]) };
}

/** The review screen: every pair at the level or above, best first. */
export async function reviewDuplicates(
  p: Platform,
  actor: Actor,
  query: { level: MatchLevel; after?: string | undefined; limit: number },
): Promise<DuplicateReviewPage> {
  const rows = await q.duplicatePage(p.db, actor.orgId, query.level === 'likely' ? LIKELY : POSSIBLE, decode(query.after), query.limit + 1);
  const page = rows.slice(0, query.limit);
  const patrons = await q.livePatronsByIds(p.db, actor.orgId, [...new Set(page.flatMap((x) => [x.patron_a, x.patron_b]))]);
  const byId = new Map(patrons.map((r) => [r.id, r]));
  const last = page.at(-1);
  return {
    items: page.flatMap((x) => {
      const a = byId.get(x.patron_a);
      const b = byId.get(x.patron_b);
      return a && b
        ? [{ a: toPatronSummary(a), b: toPatronSummary(b), score: x.score, level: levelOf(x.score), reasons: JSON.parse(x.reasons) as string[] }]
        : [];
    }),
    nextCursor: rows.length > query.limit && last ? encode({ score: last.score, a: last.patron_a, b: last.patron_b }) : null,
  };
}

async function requirePair(ctx: TxContext, actor: Actor, id: number, otherId: number) {
  if (id === otherId) throw badRequest('must be another patron', 'otherId');
  await requireLivePatron(ctx.tx, actor, id);
  try {
    await requireLivePatron(ctx.tx, actor, otherId);
  } catch {
    throw badRequest('is not a patron of this organization', 'otherId');
  }
  return [Math.min(id, otherId), Math.max(id, otherId)] as const;
}

/** "Not the same person": remembered, so the pair is never proposed again. */
export async function markDistinct(p: Platform, actor: Actor, id: number, otherId: number) {
  await inTransaction(p, async (ctx) => {
    const [a, b] = await requirePair(ctx, actor, id, otherId);
    await q.insertDistinct(ctx.tx, { org_id: actor.orgId, patron_a: a, patron_b: b, by_user_id: actor.userId, at: ctx.clock.now() });
    await q.deleteDuplicatePair(ctx.tx, a, b);
    await audit(ctx, { orgId: actor.orgId, actorId: actor.userId, action: 'patron.marked_distinct', targetType: 'patron', targetId: a, detail: { otherId: b }, ip: actor.ip });
  });
  return { ok: true as const };
}

/** Two patrons in one household (a couple sharing an email): never flagged as duplicates. */
export async function joinHousehold(p: Platform, actor: Actor, id: number, otherId: number) {
  await inTransaction(p, async (ctx) => {
    await requirePair(ctx, actor, id, otherId);
    const [me, other] = await q.livePatronsByIds(ctx.tx, actor.orgId, [id, otherId]).then((rows) => [rows.find((r) => r.id === id)!, rows.find((r) => r.id === otherId)!]);
    const household = me!.household_id ?? other!.household_id ?? Math.min(id, otherId);
    await q.setHousehold(ctx.tx, [id, otherId], household);
    await refreshDuplicates(ctx, id);
    await refreshDuplicates(ctx, otherId);
  });
  return { ok: true as const };
}
