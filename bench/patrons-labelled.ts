// The labelled set for duplicate matching (issue 14): `npx tsx bench/patrons-labelled.ts`
// writes bench/patrons-labelled.csv, deterministically (seeded). Each row is a patron record
// as an import or the desk would create it, with `person`: rows of one person are duplicates,
// every other pair is not. Duplicates come as typos, nicknames, accents dropped, phone formats,
// swapped names and same-name-only; the traps are families sharing one email (and a landline)
// and strangers with a common name. Several emails or phones in a cell are split by "|".
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'csv-stringify/sync';
import { prng } from '../scripts/corpus.js';

export const LABELLED_CSV = path.join(path.dirname(fileURLToPath(import.meta.url)), 'patrons-labelled.csv');

const FIRST = [
  'William', 'Margaret', 'Robert', 'Elizabeth', 'James', 'Katherine', 'Michael', 'Patricia', 'Richard', 'Jennifer',
  'Thomas', 'Susan', 'Charles', 'Deborah', 'Daniel', 'Rebecca', 'Edward', 'Dorothy', 'Anthony', 'Barbara',
  'José', 'María', 'Zoë', 'Søren', 'Renée', 'Chloé', 'André', 'Inès', 'Jürgen', 'Björn', 'Łukasz', 'Noémie',
  'Aisha', 'Kenji', 'Priya', 'Olumide', 'Mei', 'Tariq', 'Ingrid', 'Nadia', 'Omar', 'Fatima', 'Hiroshi', 'Leila',
  'Samuel', 'Victoria', 'Nicholas', 'Abigail', 'Theodore', 'Francis', 'Gregory', 'Jessica', 'Benjamin', 'Lawrence',
];
const LAST = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'García', 'Miller', 'Davis', 'Rodríguez', 'Martínez',
  'Hernández', 'López', 'González', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Pérez', 'Thompson', 'White', 'Harris', 'Sánchez', 'Clark', 'Ramírez', 'Lewis', 'Robinson',
  'Müller', 'Østergaard', 'Nguyễn', 'Dubois', 'Kowalski', 'Okafor', 'Tanaka', 'Haddad', 'Lindqvist', 'Côté',
  'Ferreira', 'Novak', 'Schäfer', 'Björklund', 'Ivanova', 'Papadopoulos', "O'Brien", 'MacLeod', 'Van der Berg', 'Abbott',
];
const NICK: Record<string, string> = {
  William: 'Bill', Margaret: 'Peggy', Robert: 'Bob', Elizabeth: 'Liz', James: 'Jim', Katherine: 'Kate',
  Michael: 'Mike', Patricia: 'Trish', Richard: 'Rick', Jennifer: 'Jen', Thomas: 'Tom', Susan: 'Sue',
  Charles: 'Charlie', Deborah: 'Debbie', Daniel: 'Dan', Rebecca: 'Becky', Edward: 'Ted', Dorothy: 'Dot',
  Anthony: 'Tony', Barbara: 'Barb', Samuel: 'Sam', Victoria: 'Vicky', Nicholas: 'Nick', Abigail: 'Abby',
  Theodore: 'Theo', Francis: 'Frank', Gregory: 'Greg', Jessica: 'Jess', Benjamin: 'Ben', Lawrence: 'Larry',
};
const AREAS = ['212', '312', '415', '617', '646', '773', '202', '305', '503', '614'];

export interface LabelledRow {
  key: string;
  person: string;
  kind: string;
  name: string;
  emails: string;
  phones: string;
}

const plain = (s: string) => s.normalize('NFKD').replace(/\p{M}+/gu, '').replace('ø', 'o').replace('Ø', 'O').replace('ł', 'l').replace('Ł', 'L');

export function labelledSet(size = 5200): LabelledRow[] {
  const r = prng(14);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  const rows: LabelledRow[] = [];
  let people = 0;
  let serial = 0;
  const phone = () => `${pick(AREAS)}${200 + Math.floor(r() * 700)}${String(Math.floor(r() * 10000)).padStart(4, '0')}`;
  const format = (d: string, style: number) =>
    [`(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}`, `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`, `${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6)}`, `+1 ${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6)}`, d][style % 5]!;
  const email = (first: string, last: string) => `${plain(first).toLowerCase()}.${plain(last).toLowerCase().replace(/[^a-z]/g, '')}${++serial}@example.org`;
  const typo = (w: string) => {
    if (w.length < 4) return `${w}${w.at(-1)}`;
    const i = 1 + Math.floor(r() * (w.length - 2));
    return r() < 0.5 ? w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2) : w.slice(0, i) + w.slice(i + 1);
  };
  const add = (person: string, kind: string, name: string, emails: string[], phones: string[]) =>
    rows.push({ key: `r${rows.length + 1}`, person, kind, name, emails: emails.join('|'), phones: phones.join('|') });

  while (rows.length < size) {
    const person = `p${++people}`;
    const first = pick(FIRST);
    const last = pick(LAST);
    const name = `${first} ${last}`;
    const mail = email(first, last);
    const tel = phone();
    const x = r();
    const myEmails = r() < 0.9 ? [mail] : [];
    const myPhones = r() < 0.6 ? [format(tel, Math.floor(r() * 5))] : [];
    add(person, 'original', name, myEmails, myPhones);
    if (x < 0.05) {
      add(person, 'typo', r() < 0.5 ? `${typo(first)} ${last}` : `${first} ${typo(last)}`, [mail.toUpperCase()], []);
    } else if (x < 0.1 && NICK[first]) {
      add(person, 'nickname', `${NICK[first]} ${last}`, [], [format(tel, 1 + Math.floor(r() * 4))]);
      if (!myPhones.length) rows.at(-2)!.phones = format(tel, 0);
    } else if (x < 0.14) {
      add(person, 'accents', plain(name), [mail], []);
    } else if (x < 0.18) {
      add(person, 'phone format', name, [], [format(tel, 3)]);
      if (!myPhones.length) rows.at(-2)!.phones = format(tel, 2);
    } else if (x < 0.21) {
      add(person, 'swapped', `${last} ${first}`, [mail], []);
    } else if (x < 0.24) {
      add(person, 'name only', name, [email(first, last)], []);
    } else if (x < 0.3) {
      // A family: another person with the same last name, sharing an email and the landline.
      const family = `fam${serial}@example.net`;
      rows.at(-1)!.emails = [...myEmails, family].join('|');
      rows.at(-1)!.phones = format(tel, 0);
      let other = pick(FIRST);
      while (other === first || NICK[other] === first || NICK[first] === other) other = pick(FIRST);
      add(`p${++people}`, 'family (not a duplicate)', `${other} ${last}`, [family], [format(tel, 2)]);
    }
  }
  return rows.slice(0, size);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rows = labelledSet();
  fs.writeFileSync(LABELLED_CSV, stringify(rows, { header: true, columns: ['key', 'person', 'kind', 'name', 'emails', 'phones'] }));
  const persons = new Set(rows.map((x) => x.person)).size;
  console.log(`Wrote ${rows.length} patrons (${persons} people, ${rows.length - persons} duplicates) to ${LABELLED_CSV}`);
}
