// Generated search data for the consistency and plan tests: the benchmark corpus's topics and
// names (accents, apostrophes, phone formats), plus a Zipf-distributed made-up vocabulary so
// that rare, common and absent words all exist. Loaded straight into the tables and written
// to the index through its own bulk path, so a test can afford 100,000 cases.
import type { Kysely } from 'kysely';
import { FIRST, LAST, TOPICS, emailFor, filler, phoneFor, prng, zipf } from '../../../../scripts/corpus.js';
import type { Database } from '../../db/types.js';
import type { Platform } from '../../platform/context.js';
import { contactText, type SearchDoc } from '../../platform/search/index.js';

export interface GenCase {
  id: number;
  subject: string;
  body: string;
  status: 'new' | 'open' | 'resolved' | 'closed';
  createdAt: number;
}
export interface GenPatron {
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
  personal: string | null;
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ra', 'ten', 'vo', 'zu', 'pel', 'dri', 'an', 'sho', 'qui', 'bex', 'nor', 'ul', 'fa'];
/** Made-up words: word 0 is the most frequent, word 4,999 the rarest. */
export const madeUp = (i: number) => {
  let w = '';
  let n = i + SYLLABLES.length;
  while (n > 0) {
    w += SYLLABLES[n % SYLLABLES.length];
    n = Math.floor(n / SYLLABLES.length);
  }
  return w;
};
const VOCABULARY = 5000;

export interface GenOptions {
  cases: number;
  patrons: number;
  firstCase?: number;
  firstPatron?: number;
  /** One sentence per case instead of a short thread: a big table loads faster. */
  short?: boolean;
}

/** A word in exactly five cases (ids 101–105), however many cases there are. */
export const PLANTED = 'quetzal';

export function generate(seed: number, o: GenOptions) {
  const r = prng(seed);
  const { cases, patrons, firstCase = 1, firstPatron = 1 } = o;
  const ps: GenPatron[] = [];
  for (let id = firstPatron; id < firstPatron + patrons; id++) {
    const first = FIRST[zipf(r, FIRST.length)]!;
    const last = LAST[zipf(r, LAST.length)]!;
    ps.push({
      id,
      name: `${first} ${last}`,
      email: r() < 0.8 ? emailFor(r, first, last, id) : null,
      phone: r() < 0.5 ? phoneFor(r, id) : null,
      personal: r() < 0.1 ? `Prefers ${madeUp(zipf(r, VOCABULARY))} calls; ${pickTopic(r).note}` : null,
    });
  }
  const cs: GenCase[] = [];
  const start = Date.UTC(2024, 0, 1);
  for (let id = firstCase; id < firstCase + cases; id++) {
    const topic = pickTopic(r);
    const planted = id >= 101 && id <= 105 ? ` ${PLANTED}` : '';
    const subject = `${topic.subject(r)}${r() < 0.3 ? ` ${madeUp(zipf(r, VOCABULARY))}` : ''}${planted}`;
    const who = ps.length && r() < 0.4 ? `\n${ps[Math.floor(r() * ps.length)]!.name}` : '';
    const body = o.short
      ? `${madeUp(zipf(r, VOCABULARY))} ${filler(r)}${who}`
      : [
          `${topic.body(r)} ${madeUp(zipf(r, VOCABULARY))} ${madeUp(zipf(r, VOCABULARY))}.${filler(r)}${who}`,
          r() < 0.7 ? topic.reply + filler(r) : '',
        ].join('\n');
    const status = (['new', 'open', 'resolved', 'closed'] as const)[Math.floor(r() * 4)]!;
    cs.push({ id, subject, body, status, createdAt: start + id * 60_000 });
  }
  return { cases: cs, patrons: ps };
}

const pickTopic = (r: () => number) => TOPICS[Math.floor(r() * TOPICS.length)]!;

/** An organization with no users: enough to own generated cases and patrons. */
export async function bareOrg(db: Kysely<Database>, slug: string): Promise<number> {
  const row = await db
    .insertInto('organizations')
    .values({ slug, name: slug, locale: 'en-US', time_zone: 'UTC', currency: 'USD', case_prefix: 'SW', case_seq: 0, created_at: 0 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Writes the rows and their search documents, in batches, the documents through the index. */
export async function load(p: Platform, orgId: number, data: ReturnType<typeof generate>): Promise<void> {
  const BATCH = 2000;
  for (let i = 0; i < data.patrons.length; i += BATCH) {
    const part = data.patrons.slice(i, i + BATCH);
    await p.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('patrons')
        .values(part.map((x) => ({ id: x.id, org_id: orgId, name: x.name, email: x.email, phone: x.phone, phone_digits: x.phone?.replace(/\D/g, '') ?? null, created_at: 0, updated_at: 0 })))
        .execute();
      const docs: SearchDoc[] = part.map((x) => ({ orgId, kind: 'patron', refId: x.id, title: x.name, body: contactText(x.email, x.phone) }));
      for (const x of part) if (x.personal) docs.push({ orgId, kind: 'patronPersonal', refId: x.id, title: '', body: x.personal });
      await p.search.upsertMany(tx, docs);
    });
  }
  for (let i = 0; i < data.cases.length; i += BATCH) {
    const part = data.cases.slice(i, i + BATCH);
    await p.db.transaction().execute(async (tx) => {
      for (let j = 0; j < part.length; j += 500) {
        await tx
          .insertInto('cases')
          .values(
            part.slice(j, j + 500).map((c) => ({
              id: c.id, org_id: orgId, number: c.id, patron_id: null, channel: 'email' as const, subject: c.subject, status: c.status,
              priority: 'normal' as const, team_id: null, assignee_id: null, status_token: `t${orgId}-${c.id}`, created_by: null,
              created_at: c.createdAt, updated_at: c.createdAt, last_activity_at: c.createdAt,
            })),
          )
          .execute();
      }
      await p.search.upsertMany(tx, part.map((c) => ({ orgId, kind: 'case', refId: c.id, title: c.subject, body: c.body })));
    });
  }
}
