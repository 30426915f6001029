// Marks the words a query matched, the way the index matched them (stemmed, last word as a
// prefix), and cuts a snippet around the first match. Runs on the few results shown.
import type { Highlighted } from '../../../contracts/search.js';

/** A rough English stem: enough to mark "refunded" for a search on "refunds". */
export function stem(word: string): string {
  for (const suffix of ['ing', 'ies', 'ed', 'es', 's', 'ly']) {
    if (word.length > suffix.length + 3 && word.endsWith(suffix)) return word.slice(0, -suffix.length);
  }
  return word;
}

export function matcher(terms: string[]): (word: string) => boolean {
  const stems = terms.map(stem);
  return (word) => {
    const w = word.toLowerCase();
    return stems.some((s) => w.startsWith(s));
  };
}

export function highlight(text: string, terms: string[]): Highlighted {
  const isHit = matcher(terms);
  const out: Highlighted = [];
  const push = (t: string, hit: boolean) => {
    const last = out.at(-1);
    if (last && last.hit === hit) last.text += t;
    else if (t) out.push({ text: t, hit });
  };
  let pos = 0;
  for (const m of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const i = m.index;
    push(text.slice(pos, i), false);
    push(m[0], isHit(m[0]));
    pos = i + m[0].length;
  }
  push(text.slice(pos), false);
  return out;
}

export const hasHit = (text: string, terms: string[]) => {
  const isHit = matcher(terms);
  return (text.match(/[\p{L}\p{N}]+/gu) ?? []).some(isHit);
};

/** About `width` characters of `text` around its first match, highlighted. */
export function snippet(text: string, terms: string[], width = 180): Highlighted {
  const flat = text.replace(/\s+/g, ' ').trim();
  const isHit = matcher(terms);
  let first = -1;
  for (const m of flat.matchAll(/[\p{L}\p{N}]+/gu)) {
    if (isHit(m[0])) {
      first = m.index;
      break;
    }
  }
  let start = Math.max(0, first - Math.floor(width / 3));
  if (start > 0) {
    const space = flat.indexOf(' ', start);
    start = space >= 0 && space < first ? space + 1 : start;
  }
  let piece = flat.slice(start, start + width);
  if (start + width < flat.length) piece = piece.replace(/\s+\S*$/, '') + ' …';
  if (start > 0) piece = '… ' + piece;
  return highlight(piece, terms);
}
