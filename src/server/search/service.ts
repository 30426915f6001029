// Search from anywhere: a reference (SW-1042, or the bare number 1042) or an email goes straight
// to its match; anything else is full-text search over cases and patrons, as you type (the last
// word is a prefix), ranked by tier (see platform/search), grouped, with the matching words marked.
import type { Kysely } from 'kysely';
import type { SearchQuery, SearchResult } from '../../contracts/search.js';
import type { Database } from '../db/types.js';
import { findOrg } from '../admin/api.js';
import { caseSummaries, findCaseByNumber, firstEntryTexts, parseRef, toCaseSummary } from '../cases/api.js';
import { canSeePersonal, findPatronByEmail, patronsInOrder, personalNotesOf } from '../patrons/api.js';
import type { Actor } from '../platform/actor.js';
import type { Platform } from '../platform/context.js';
import { hasHit, highlight, snippet } from '../platform/search/highlight.js';
import { contactText, parseQuery } from '../platform/search/index.js';
import { startOfDay } from '../platform/clock.js';

const PATRONS_SHOWN = 5;
const ENTRIES_PER_SNIPPET = 20;
const SNIPPET_SOURCE_CHARS = 5000;

export { startOfDay };

async function direct(p: Platform, actor: Actor, text: string): Promise<SearchResult['direct']> {
  const bare = /^\d{1,9}$/.exec(text.trim());
  const ref = bare ? { prefix: actor.casePrefix, number: Number(bare[0]) } : parseRef(text);
  if (ref && ref.prefix === actor.casePrefix) {
    const row = await findCaseByNumber(p.db, actor.orgId, ref.number);
    if (row) return { kind: 'case', ref: `${ref.prefix}-${ref.number}` };
  }
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text.trim())) {
    const patron = await findPatronByEmail(p.db, actor.orgId, text.trim());
    if (patron) return { kind: 'patron', id: patron.id };
  }
  return null;
}

/** Per case, the first messages and notes to cut a snippet from (bounded per case and in size). */
async function entryTexts(db: Kysely<Database>, caseIds: number[]) {
  const byCase = new Map<number, string[]>();
  for (const r of await firstEntryTexts(db, caseIds, ENTRIES_PER_SNIPPET, SNIPPET_SOURCE_CHARS)) {
    byCase.set(r.case_id, [...(byCase.get(r.case_id) ?? []), r.body]);
  }
  return byCase;
}

export async function search(p: Platform, actor: Actor, query: SearchQuery): Promise<SearchResult> {
  const parsed = parseQuery(query.q);
  const jump = await direct(p, actor, query.q);
  const org = await findOrg(p.db, actor.orgId);
  const tz = org?.time_zone ?? 'UTC';
  const filters = {
    status: query.status,
    teamId: query.teamId,
    from: query.from ? startOfDay(query.from, tz) : undefined,
    to: query.to ? startOfDay(query.to, tz) + 86_400_000 : undefined,
  };
  const includePersonal = canSeePersonal(actor);
  const filtered = !!(query.status || query.teamId || query.from || query.to);
  const [caseIds, patronIds] = await Promise.all([
    p.search.searchCases(p.db, {
      orgId: actor.orgId,
      query: parsed,
      limit: query.limit + 1,
      offset: query.offset,
      filters,
    }),
    // Patrons have no status, team or date: they show on the first page of an unfiltered search.
    query.offset === 0 && !filtered
      ? p.search.searchPatrons(p.db, { orgId: actor.orgId, query: parsed, limit: PATRONS_SHOWN, offset: 0, includePersonal })
      : Promise.resolve([]),
  ]);
  const ids = caseIds.slice(0, query.limit);
  const [summaries, texts, patrons] = await Promise.all([
    caseSummaries(p.db, ids),
    entryTexts(p.db, ids),
    patronsInOrder(p, actor.orgId, patronIds),
  ]);
  const personal = includePersonal ? await personalNotes(p.db, patrons.map((x) => x.id)) : new Map<number, string>();

  return {
    direct: jump,
    terms: parsed.words,
    cases: summaries.map((s) => {
      const bodies = texts.get(s.id) ?? [];
      const body = bodies.find((b) => hasHit(b, parsed)) ?? bodies[0] ?? '';
      return {
        case: toCaseSummary(s, actor.casePrefix),
        subject: highlight(s.subject, parsed),
        snippet: snippet(body, parsed),
      };
    }),
    patrons: patrons.map((x) => {
      const names = [x.name, x.preferredName].filter(Boolean).join(' ');
      const contact = [x.email, x.phone].filter(Boolean).join(' · ');
      const fromNote = !hasHit(contactText(names, x.email, x.phone), parsed);
      const note = personal.get(x.id);
      return {
        patron: x,
        name: highlight(x.name, parsed),
        contact: highlight(contact, parsed),
        snippet: fromNote && note ? snippet(note, parsed) : [],
        fromPersonalNote: fromNote && !!note,
      };
    }),
    nextOffset: caseIds.length > query.limit ? query.offset + query.limit : null,
  };
}

async function personalNotes(db: Kysely<Database>, patronIds: number[]) {
  const out = new Map<number, string>();
  for (const r of await personalNotesOf(db, patronIds)) out.set(r.patron_id, `${out.get(r.patron_id) ?? ''} ${r.body}`.trim());
  return out;
}
