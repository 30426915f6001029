// Marks the words a query matched, the way the index matched them (folded, stemmed, the last
// word as a prefix), and cuts a snippet around the first match. Runs on the few results shown.
import type { Highlighted } from '../../../contracts/search.js';
import { fold, stem, type ParsedQuery } from './text.js';

const TOKEN = /[\p{L}\p{N}]+(?:['’‐-][\p{L}\p{N}]+)*/gu;
const PIECE = /[\p{L}\p{N}]+/gu;

const matchers = new WeakMap<ParsedQuery, (word: string) => boolean>();

/** Whether a written word (or a token written together, "O'Brien") is one the query matched. */
export function matcher(q: ParsedQuery): (word: string) => boolean {
  let m = matchers.get(q);
  if (!m) matchers.set(q, (m = newMatcher(q)));
  return m;
}

function newMatcher(q: ParsedQuery): (word: string) => boolean {
  const stems = new Set(q.stems);
  if (q.last) stems.add(q.last.stem);
  const prefix = q.last?.prefix;
  // Snippets test the same few hundred words over and over: fold and stem each once.
  const known = new Map<string, boolean>();
  return (word) => {
    let hit = known.get(word);
    if (hit === undefined) {
      const w = fold(word).replace(/['’‐-]/g, '');
      hit = stems.has(stem(w)) || (prefix !== undefined && w.startsWith(prefix));
      if (known.size < 10_000) known.set(word, hit);
    }
    return hit;
  };
}

/** The spans of `text` to mark: each matching piece, or a whole token when it matched joined. */
function hits(text: string, isHit: (w: string) => boolean): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const m of text.matchAll(TOKEN)) {
    const pieces = [...m[0].matchAll(PIECE)];
    if (pieces.length > 1 && isHit(m[0])) {
      spans.push([m.index, m.index + m[0].length]);
      continue;
    }
    for (const p of pieces) if (isHit(p[0])) spans.push([m.index + p.index, m.index + p.index + p[0].length]);
  }
  return spans;
}

export function highlight(text: string, q: ParsedQuery): Highlighted {
  const out: Highlighted = [];
  const push = (t: string, hit: boolean) => {
    const last = out.at(-1);
    if (last && last.hit === hit) last.text += t;
    else if (t) out.push({ text: t, hit });
  };
  let pos = 0;
  for (const [from, to] of hits(text, matcher(q))) {
    push(text.slice(pos, from), false);
    push(text.slice(from, to), true);
    pos = to;
  }
  push(text.slice(pos), false);
  return out;
}

export const hasHit = (text: string, q: ParsedQuery) => hits(text, matcher(q)).length > 0;

/** About `width` characters of `text` around its first match, highlighted. */
export function snippet(text: string, q: ParsedQuery, width = 180): Highlighted {
  const flat = text.replace(/\s+/g, ' ').trim();
  const first = hits(flat, matcher(q))[0]?.[0] ?? -1;
  let start = Math.max(0, first - Math.floor(width / 3));
  if (start > 0) {
    const space = flat.indexOf(' ', start);
    start = space >= 0 && space < first ? space + 1 : start;
  }
  let piece = flat.slice(start, start + width);
  if (start + width < flat.length) piece = piece.replace(/\s+\S*$/, '') + ' …';
  if (start > 0) piece = '… ' + piece;
  return highlight(piece, q);
}
