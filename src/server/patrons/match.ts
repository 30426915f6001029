// Whether two patrons are one person, with the reasons in words. Pure: no database. Names are
// compared folded, with nicknames made formal and in either order (Jaro-Winkler on each word);
// a shared email or phone counts only with a name that agrees, because families share an email
// and a landline without being one person.
import { nameWords } from './normalize.js';

export interface MatchSubject {
  id: number;
  name: string;
  emails: string[];
  phones: string[];
  householdId: number | null;
}

export interface Match {
  score: number;
  reasons: string[];
}

/** Shown beside the patron to every associate. */
export const LIKELY = 85;
/** Shown on the review screen only. */
export const POSSIBLE = 50;

export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  if (!a.length || !b.length) return 0;
  const range = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aHit = new Array<boolean>(a.length).fill(false);
  const bHit = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = Math.max(0, i - range); j < Math.min(b.length, i + range + 1); j++) {
      if (bHit[j] || a[i] !== b[j]) continue;
      aHit[i] = bHit[j] = true;
      matches++;
      break;
    }
  }
  if (!matches) return 0;
  let t = 0;
  for (let i = 0, k = 0; i < a.length; i++) {
    if (!aHit[i]) continue;
    while (!bHit[k]) k++;
    if (a[i] !== b[k]) t++;
    k++;
  }
  const jaro = (matches / a.length + matches / b.length + (matches - t / 2) / matches) / 3;
  let prefix = 0;
  while (prefix < 4 && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/** How alike two names are: first and last words compared, in either order. */
export function nameLikeness(a: string, b: string): { first: number; last: number; swapped: boolean } {
  const wa = nameWords(a);
  const wb = nameWords(b);
  if (!wa.length || !wb.length) return { first: 0, last: 0, swapped: false };
  const [fa, la] = [wa[0]!, wa[wa.length - 1]!];
  const [fb, lb] = [wb[0]!, wb[wb.length - 1]!];
  const straight = { first: jaroWinkler(fa, fb), last: jaroWinkler(la, lb), swapped: false };
  const crossed = { first: jaroWinkler(fa, lb), last: jaroWinkler(la, fb), swapped: true };
  return crossed.first + crossed.last > straight.first + straight.last + 0.01 ? crossed : straight;
}

const shared = (x: string[], y: string[]) => x.some((v) => y.includes(v));

/** The score (0–100) and the reasons two patrons may be one person. */
export function matchPatrons(a: MatchSubject, b: MatchSubject): Match {
  if (a.householdId !== null && a.householdId === b.householdId) return { score: 0, reasons: ['same household'] };
  const reasons: string[] = [];
  const email = shared(a.emails, b.emails);
  const phone = shared(a.phones, b.phones);
  if (email) reasons.push('same email');
  if (phone) reasons.push('same phone');
  const n = nameLikeness(a.name, b.name);
  const sameName = n.first === 1 && n.last === 1;
  const nickname = sameName && a.name.toLowerCase() !== b.name.toLowerCase();
  if (sameName) reasons.push(nickname ? 'same name (spelling, accents, nickname or order)' : 'same name');
  else if (n.first >= 0.88 && n.last >= 0.88) reasons.push('similar name');
  else if (n.last >= 0.95) reasons.push('same last name');
  if (n.swapped && !sameName && n.first >= 0.88) reasons.push('names swapped');

  const nameScore = sameName ? 1 : n.first >= 0.88 && n.last >= 0.88 ? Math.min(n.first, n.last) : 0;
  let score: number;
  if (email || phone) {
    // Families share an email or a landline: a contact point alone makes no duplicate.
    if (nameScore === 1) score = email && phone ? 99 : 95;
    else if (nameScore >= 0.88) score = 80 + Math.round((nameScore - 0.88) * 100) + (email && phone ? 5 : 0);
    else if (n.first >= 0.8 && n.last >= 0.7) score = 55;
    else score = 20;
  } else {
    score = nameScore === 1 ? 60 : 0;
  }
  return { score: Math.max(0, Math.min(100, score)), reasons };
}
