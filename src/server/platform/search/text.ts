// Text as search sees it, decided once in TypeScript so that SQLite and PostgreSQL index and
// query exactly the same words: accents and case folded, English stems, phone numbers as digits.
import { stemmer } from 'stemmer';

/** Documents longer than this are cut: a million-word thread is not searched word by word. */
export const MAX_DOC_CHARS = 100_000;
/** Longer "words" are codes, hashes or base64: never what anyone types. */
export const MAX_WORD_CHARS = 60;
/** A query keeps its first few words: more only narrow a result nobody reads. */
export const MAX_QUERY_WORDS = 8;

// Letters NFKD leaves whole but every reader treats as plain Latin ones (unaccent does too).
const LETTERS: Record<string, string> = {
  ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i', ħ: 'h', ŧ: 't', ŋ: 'n', ſ: 's',
};
const SPECIAL = new RegExp(`[${Object.keys(LETTERS).join('')}]`, 'gu');

/** Lower case without accents: "Gómez" → "gomez", "Øster" → "oster", "Straße" → "strasse". */
export function fold(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(SPECIAL, (c) => LETTERS[c]!);
}

// A token is letters and digits, possibly joined by an apostrophe or a hyphen ("O'Brien",
// "Saint-Pierre", "555-0142"): its pieces are words, and so is the whole written together.
const TOKEN = /[\p{L}\p{N}]+(?:['’‐-][\p{L}\p{N}]+)*/gu;
const PIECE = /[\p{L}\p{N}]+/gu;

interface Token {
  pieces: string[];
  joined: string | null;
}

/** The tokens of folded text. */
function tokens(folded: string): Token[] {
  const out: Token[] = [];
  for (const m of folded.matchAll(TOKEN)) {
    const pieces = m[0].match(PIECE)!.filter((p) => p.length <= MAX_WORD_CHARS);
    const joined = pieces.length > 1 ? pieces.join('') : null;
    out.push({ pieces, joined: joined && joined.length <= MAX_WORD_CHARS ? joined : null });
  }
  return out;
}

const stems = new Map<string, string>();
/**
 * The English (Porter) stem of a folded word, so "refunds" finds "refunded". Words with digits
 * or letters outside a–z are kept whole. Memoized: a desk's vocabulary is small.
 */
export function stem(word: string): string {
  let s = stems.get(word);
  if (s === undefined) {
    s = /^[a-z]{3,}$/.test(word) ? stemmer(word) : word;
    if (stems.size >= 200_000) stems.clear();
    stems.set(word, s);
  }
  return s;
}

/**
 * What a document puts in the index. `title` is the title's stems in order (phrases are matched
 * against it) then, after a bar, its joined forms; `terms` is every distinct stem of the
 * document. Both are stored space-padded so that a word is found as `% word %`.
 */
const MIXED = /^(?=.*\d)(?=.*\D)/;

export interface DocText {
  title: string;
  terms: string;
  /** Stems by where they count: anywhere, in the title, and adjacent title pairs ("a b"). */
  any: Set<string>;
  titleStems: Set<string>;
  pairs: Set<string>;
  /** Distinct surface words with their stems: what a typed prefix is expanded against. */
  words: Map<string, string>;
}

export function docText(title: string, body: string): DocText {
  const words = new Map<string, string>();
  const add = (w: string) => {
    let s = words.get(w);
    if (s === undefined) {
      s = stem(w);
      // Letters and digits run together ("nguyen1234" in an e-mail) are one person's own
      // word: searchable whole, but no prefix's completion, or every letter would expand to
      // thousands of them.
      if (!MIXED.test(w)) words.set(w, s);
    }
    return s;
  };
  const seq: string[] = [];
  const titleStems = new Set<string>();
  const joinedTitle: string[] = [];
  for (const t of tokens(fold(title))) {
    for (const p of t.pieces) {
      const s = add(p);
      seq.push(s);
      titleStems.add(s);
    }
    if (t.joined) {
      const s = add(t.joined);
      if (!titleStems.has(s)) joinedTitle.push(s);
      titleStems.add(s);
    }
  }
  const any = new Set(titleStems);
  for (const t of tokens(fold(body.slice(0, MAX_DOC_CHARS)))) {
    for (const p of t.pieces) any.add(add(p));
    if (t.joined) any.add(add(t.joined));
  }
  const pairs = new Set<string>();
  for (let i = 0; i + 1 < seq.length; i++) pairs.add(`${seq[i]} ${seq[i + 1]}`);
  return {
    title: ` ${seq.join(' ')} ${joinedTitle.length ? `| ${joinedTitle.join(' ')} ` : ''}`,
    terms: ` ${[...any].join(' ')} `,
    any,
    titleStems,
    pairs,
    words,
  };
}

/** The index sets a stored document had, read back from its stored `title` and `terms`. */
export function storedSets(title: string, terms: string): Pick<DocText, 'any' | 'titleStems' | 'pairs'> {
  const [seqPart = '', joinedPart = ''] = title.split('|');
  const seq = seqPart.split(' ').filter(Boolean);
  const pairs = new Set<string>();
  for (let i = 0; i + 1 < seq.length; i++) pairs.add(`${seq[i]} ${seq[i + 1]}`);
  return {
    any: new Set(terms.split(' ').filter(Boolean)),
    titleStems: new Set([...seq, ...joinedPart.split(' ').filter(Boolean)]),
    pairs,
  };
}

/** A query as the index reads it. Every word must match; the last one may be unfinished. */
export interface ParsedQuery {
  /** Folded words as typed, at most MAX_QUERY_WORDS. */
  words: string[];
  /** The stems of all words but the last. */
  stems: string[];
  /** The last word: matched as a prefix of any word, or by its stem. */
  last: { prefix: string; stem: string } | null;
}

const PHONE = /^[\s+().\-\d]+$/;

/**
 * Parses what someone typed. Punctuation is not syntax: `"`, `*`, `NEAR(`, `-` and `%` are
 * plain text, so no input can make a query fail. A phone number in any format becomes its
 * digits (the last ten: a country code is optional).
 */
export function parseQuery(q: string): ParsedQuery {
  const folded = fold(q);
  let words: string[];
  const digits = folded.replace(/\D/g, '');
  if (PHONE.test(folded) && digits.length >= 7 && /\d\D+\d/.test(folded.trim())) {
    words = [digits.slice(-10)];
  } else {
    words = [];
    for (const t of tokens(folded)) words.push(...t.pieces);
    words = [...new Set(words)].slice(0, MAX_QUERY_WORDS);
  }
  if (!words.length) return { words, stems: [], last: null };
  const lastWord = words.at(-1)!;
  return {
    words,
    stems: words.slice(0, -1).map(stem),
    last: { prefix: lastWord, stem: stem(lastWord) },
  };
}

/** Text of a contact point in a form that matches its parts and any way of typing it. */
export function contactText(...values: Array<string | null | undefined>): string {
  const parts: string[] = [];
  for (const v of values) {
    if (!v) continue;
    parts.push(v);
    const digits = v.replace(/\D/g, '');
    if (v.includes('@') || digits.length < 7) continue;
    // A phone number: all its digits, and the last ten and seven, as people type it with or
    // without the country code and the area code.
    parts.push(digits, digits.slice(-10), digits.slice(-7));
  }
  return parts.join(' ');
}
