// Separates what a patron wrote this time from the history their mail program quoted below it,
// for plain text and for HTML, as Gmail, Outlook, Apple Mail, Thunderbird and `>` quoting do it.
// Best effort by design: when nothing is recognised, everything is the new part.
import { DomUtils, Parser, parseDocument } from 'htmlparser2';

export type QuoteStyle =
  | 'gmail'
  | 'outlook'
  | 'apple'
  | 'thunderbird'
  | 'yahoo'
  | 'attribution'
  | 'quoted-lines'
  | 'interleaved';

export interface QuoteSplit {
  /** What the sender wrote this time, without signature or quoted history. */
  newPart: string;
  /** The sender's signature (after `-- `, or a "Sent from my phone" line), when recognised. */
  signature: string | null;
  /** The quoted history, from its first line (the "On … wrote:" or "From:" header) to the end. */
  quoted: string | null;
  /** How the history was recognised; null when none was found. */
  style: QuoteStyle | null;
}

// ---------------------------------------------------------------------------------------------
// Plain text

const ORIGINAL_MESSAGE =
  /^\s*-{2,}\s*(?:original message|ursprüngliche nachricht|message d'origine|mensaje original|oorspronkelijk bericht|messaggio originale|mensagem original|opprinnelig melding|ursprungligt meddelande)\s*-{2,}\s*$/i;
const UNDERSCORE_RULE = /^\s*_{10,}\s*$/;
const HEADER_FROM = /^\s*\*?(?:from|von|de|da|van|från|fra|od)\s*:\*?\s*\S/i;
const HEADER_SENT =
  /^\s*\*?(?:sent|date|gesendet|datum|envoyé|enviado|enviada|fecha|verzonden|inviato|data|skickat|sendt)\s*:\*?\s*\S/i;
const HEADER_TO_OR_SUBJECT =
  /^\s*\*?(?:to|an|à|para|aan|a|till|til|subject|betreff|objet|asunto|onderwerp|oggetto|assunto|ämne|emne)\s*:\*?/i;
// "On Tue, 1 Dec 2026 at 10:00, Box Office <…> wrote:" and its translations (German and Dutch
// put the name after the verb: "Am … schrieb Box Office <…>:"); may wrap over lines.
const ATTRIBUTION_START = /^\s*(?:on|le|am|el|op|il|em|den|på|w dniu)\s/i;
const ATTRIBUTION =
  /^\s*(?:on|le|am|el|op|il|em|den|på|w dniu)\s.{1,400}?(?:wrote|a écrit|schrieb|escribió|schreef|ha scritto|escreveu|skrev|napisał)(?:\s.{0,200}:|\s*:?)\s*$/i;
// "Box Office wrote:" directly above `>` lines.
const SHORT_ATTRIBUTION = /^.{1,120}\b(?:wrote|writes|a écrit|schrieb|escribió)\s*:\s*$/i;
const SIGNATURE_DELIMITER = /^-- ?$/;
const MOBILE_FOOTER =
  /^\s*(?:sent from my [\w\s-]{1,40}|sent from (?:mail|yahoo mail|outlook|gmail) for [\w\s-]{1,30}|get outlook for [\w\s-]{1,20}|envoyé de mon [\w\s-]{1,30}|von meinem [\w\s-]{1,40} gesendet|enviado desde mi [\w\s-]{1,30})\.?\s*$/i;
const isQuoteLine = (line: string) => /^\s*>/.test(line);
const isBlank = (line: string) => line.trim() === '';

export function splitQuotedText(text: string): QuoteSplit {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const marker = findTextMarker(lines);

  if (marker) {
    const before = lines.slice(0, marker.index);
    const quoted = joinTrimmed(lines.slice(marker.index));
    const { newPart, signature } = splitSignature(before);
    if (newPart !== '' || signature !== null)
      return { newPart, signature, quoted, style: marker.style };
    // Only quoted text: show it all rather than an empty message.
    return { newPart: joinTrimmed(lines), signature: null, quoted: null, style: null };
  }

  // Quoted lines around the new text (bottom-posting or answers between the quotes): the new
  // part is what is not quoted, and the whole message is the history.
  if (lines.some(isQuoteLine)) {
    const own = lines.filter((l, i) => !isQuoteLine(l) && !isShortAttribution(lines, i));
    const { newPart, signature } = splitSignature(own);
    if (newPart !== '')
      return { newPart, signature, quoted: joinTrimmed(lines), style: 'interleaved' };
  }

  const { newPart, signature } = splitSignature(lines);
  return { newPart, signature, quoted: null, style: null };
}

function findTextMarker(lines: string[]): { index: number; style: QuoteStyle } | null {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (ORIGINAL_MESSAGE.test(line)) return { index: i, style: 'outlook' };
    if (
      UNDERSCORE_RULE.test(line) &&
      nextNonBlank(lines, i) !== -1 &&
      HEADER_FROM.test(lines[nextNonBlank(lines, i)]!)
    ) {
      return { index: i, style: 'outlook' };
    }
    if (HEADER_FROM.test(line) && isOutlookHeaderBlock(lines, i))
      return { index: i, style: 'outlook' };
    if (ATTRIBUTION_START.test(line)) {
      for (let k = 0; k < 3 && i + k < lines.length; k++) {
        if (ATTRIBUTION.test(lines.slice(i, i + k + 1).join(' ')))
          return { index: i, style: 'attribution' };
      }
    }
    if (isShortAttribution(lines, i)) return { index: i, style: 'attribution' };
    // A block of `>` lines that runs to the end of the message (top-posting).
    if (isQuoteLine(line) && lines.slice(i).every((l) => isQuoteLine(l) || isBlank(l))) {
      return { index: i, style: 'quoted-lines' };
    }
  }
  return null;
}

/** "From: …" followed within a few lines by "Sent:"/"Date:" and "To:"/"Subject:". */
function isOutlookHeaderBlock(lines: string[], from: number): boolean {
  const window = lines.slice(from + 1, from + 6);
  return (
    window.some((l) => HEADER_SENT.test(l)) && window.some((l) => HEADER_TO_OR_SUBJECT.test(l))
  );
}

function isShortAttribution(lines: string[], i: number): boolean {
  const line = lines[i]!;
  if (isQuoteLine(line) || !SHORT_ATTRIBUTION.test(line)) return false;
  const next = nextNonBlank(lines, i);
  return next !== -1 && isQuoteLine(lines[next]!);
}

function nextNonBlank(lines: string[], i: number): number {
  for (let j = i + 1; j < lines.length; j++) if (!isBlank(lines[j]!)) return j;
  return -1;
}

function splitSignature(lines: string[]): { newPart: string; signature: string | null } {
  // The last delimiter counts: a message may quote an older signature higher up.
  for (let i = lines.length - 1; i >= 0; i--) {
    if (SIGNATURE_DELIMITER.test(lines[i]!) && lines.length - i <= 20) {
      const signature = joinTrimmed(lines.slice(i + 1));
      return { newPart: joinTrimmed(lines.slice(0, i)), signature: signature || null };
    }
  }
  let last = lines.length - 1;
  while (last >= 0 && isBlank(lines[last]!)) last--;
  if (last > 0 && MOBILE_FOOTER.test(lines[last]!)) {
    return { newPart: joinTrimmed(lines.slice(0, last)), signature: lines[last]!.trim() };
  }
  return { newPart: joinTrimmed(lines), signature: null };
}

/** Joins lines, dropping blank lines at both ends and trailing spaces. */
function joinTrimmed(lines: string[]): string {
  let start = 0;
  let end = lines.length;
  while (start < end && isBlank(lines[start]!)) start++;
  while (end > start && isBlank(lines[end - 1]!)) end--;
  return lines
    .slice(start, end)
    .map((l) => l.replace(/\s+$/, ''))
    .join('\n');
}

// ---------------------------------------------------------------------------------------------
// HTML
//
// Works on the HTML as received (the markers are classes and ids that sanitizing removes), so
// its output is as unsafe as its input: sanitize every part before showing it.

type HtmlDocument = ReturnType<typeof parseDocument>;
type HtmlNode = HtmlDocument['children'][number];
type HtmlElement = Extract<HtmlNode, { attribs: Record<string, string> }>;

const classes = (el: HtmlElement) => (el.attribs.class ?? '').toLowerCase().split(/\s+/);
const idOf = (el: HtmlElement) => (el.attribs.id ?? '').toLowerCase();
const styleOf = (el: HtmlElement) => (el.attribs.style ?? '').toLowerCase().replace(/\s+/g, '');
const textOf = (node: HtmlNode) => DomUtils.textContent(node).replace(/\s+/g, ' ').trim();

interface HtmlMarker {
  node: HtmlNode;
  style: QuoteStyle;
}

/** The first element, in document order, where quoted history begins. */
function quoteMarker(el: HtmlElement): QuoteStyle | null {
  const cls = classes(el);
  const id = idOf(el);
  if (cls.includes('gmail_quote') || cls.includes('gmail_quote_container')) return 'gmail';
  if (id === 'appendonsend' || id === 'divrplyfwdmsg' || id === 'olk_src_body_section')
    return 'outlook';
  if (id === 'mail-editor-reference-message-container' || cls.includes('outlookmessageheader'))
    return 'outlook';
  // Outlook desktop puts the quoted header in a div with a thin top border.
  if (
    el.name === 'div' &&
    /border-top:solid#(?:e1e1e1|b5c4df)/.test(styleOf(el)) &&
    /\bfrom:/i.test(textOf(el))
  ) {
    return 'outlook';
  }
  if (cls.includes('moz-cite-prefix')) return 'thunderbird';
  if (cls.includes('yahoo_quoted') || id.startsWith('yahoo_quoted')) return 'yahoo';
  if (cls.includes('protonmail_quote')) return 'attribution';
  if (el.name === 'blockquote' && (el.attribs.type ?? '').toLowerCase() === 'cite') return 'apple';
  if (
    ['p', 'div', 'span'].includes(el.name) &&
    ORIGINAL_MESSAGE.test(textOf(el)) &&
    el.children.length <= 3
  ) {
    return 'outlook';
  }
  if (el.name === 'blockquote') return 'attribution';
  return null;
}

function signatureMarker(el: HtmlElement): boolean {
  const cls = classes(el);
  const id = idOf(el);
  return (
    cls.includes('gmail_signature_prefix') ||
    cls.includes('gmail_signature') ||
    el.attribs['data-smartmail'] === 'gmail_signature' ||
    cls.includes('moz-signature') ||
    id === 'signature' ||
    id === 'applemailsignature'
  );
}

function findFirst(doc: HtmlDocument, test: (el: HtmlElement) => boolean): HtmlElement | null {
  return DomUtils.findOne(
    (el) => test(el as HtmlElement),
    doc.children,
    true,
  ) as HtmlElement | null;
}

function findQuoteMarker(doc: HtmlDocument): HtmlMarker | null {
  let style: QuoteStyle | null = null;
  const el = findFirst(doc, (e) => (style = quoteMarker(e)) !== null);
  if (!el || !style) return null;
  // A plain <blockquote> only counts as history when an "On … wrote:" line introduces it.
  const intro = previousElementOrText(el);
  if (
    style === 'attribution' &&
    el.name === 'blockquote' &&
    !(intro && ATTRIBUTION_OR_SHORT(textOf(intro)))
  ) {
    return null;
  }
  // Keep the attribution line and Outlook's rule above the quote with the quote.
  if (
    intro &&
    (ATTRIBUTION_OR_SHORT(textOf(intro)) || (DomUtils.isTag(intro) && intro.name === 'hr'))
  ) {
    return { node: intro, style };
  }
  return { node: el, style };
}

const ATTRIBUTION_OR_SHORT = (s: string) => ATTRIBUTION.test(s) || SHORT_ATTRIBUTION.test(s);

function previousElementOrText(node: HtmlNode): HtmlNode | null {
  let prev = node.prev;
  while (
    prev &&
    ((DomUtils.isText(prev) && prev.data.trim() === '') ||
      (DomUtils.isTag(prev) && prev.name === 'br'))
  ) {
    prev = prev.prev;
  }
  return prev ?? null;
}

/**
 * Removes `node` and everything after it in document order from the tree, and returns the
 * removed nodes in document order.
 */
function cutFrom(node: HtmlNode): HtmlNode[] {
  const removed: HtmlNode[] = [];
  let cur: HtmlNode | null = node;
  let first = true;
  while (cur && cur.parent) {
    const parent: HtmlNode['parent'] = cur.parent;
    const siblings = parent!.children as HtmlNode[];
    const start = siblings.indexOf(cur) + (first ? 0 : 1);
    const taken = siblings.slice(start);
    for (const n of taken) DomUtils.removeElement(n);
    removed.push(...taken);
    first = false;
    cur = parent!.type === 'root' ? null : (parent as HtmlNode);
  }
  return removed;
}

const serialize = (nodes: HtmlNode | HtmlNode[]) =>
  DomUtils.getOuterHTML(nodes, { decodeEntities: false });

function hasContent(nodes: HtmlNode | HtmlNode[]): boolean {
  const list = Array.isArray(nodes) ? nodes : [nodes];
  return (
    list.some((n) => textOf(n) !== '') ||
    DomUtils.findOne((e) => e.name === 'img', list.filter(DomUtils.isTag), true) !== null
  );
}

/** Deeper than this, the DOM helpers (recursive) could overflow the stack: no split then. */
const MAX_SPLIT_DEPTH = 400;

export function splitQuotedHtml(html: string): QuoteSplit {
  if (nestingDepth(html) > MAX_SPLIT_DEPTH)
    return { newPart: html, signature: null, quoted: null, style: null };
  const doc = parseDocument(html, {
    decodeEntities: false,
    lowerCaseTags: true,
    lowerCaseAttributeNames: true,
  });
  const marker = findQuoteMarker(doc);
  const quotedNodes = marker ? cutFrom(marker.node) : [];

  let signature: string | null = null;
  const sigEl = findFirst(doc, signatureMarker);
  if (sigEl) {
    const sigNodes = cutFrom(sigEl);
    signature = hasContent(sigNodes) ? serialize(sigNodes).trim() : null;
  } else {
    const footer = lastBlock(doc);
    if (footer && MOBILE_FOOTER.test(textOf(footer))) {
      signature = serialize(cutFrom(footer)).trim();
    }
  }

  if (!hasContent(doc.children)) {
    // Nothing but history (or a marker we misread): show the whole message as the new part.
    if (marker || signature) return { newPart: html, signature: null, quoted: null, style: null };
  }
  return {
    newPart: serialize(doc.children).trim(),
    signature,
    quoted: marker ? serialize(quotedNodes).trim() : null,
    style: marker?.style ?? null,
  };
}

function nestingDepth(html: string): number {
  let depth = 0;
  let max = 0;
  const parser = new Parser(
    {
      onopentag() {
        max = Math.max(max, ++depth);
      },
      onclosetag() {
        depth--;
      },
    },
    { decodeEntities: false, recognizeSelfClosing: true },
  );
  parser.end(html);
  return max;
}

/** The last block-level element (or text) with content, for "Sent from my iPhone". */
function lastBlock(doc: HtmlDocument): HtmlNode | null {
  const blocks = DomUtils.findAll(
    (e) => ['div', 'p'].includes(e.name) && textOf(e) !== '',
    doc.children,
  );
  const last = blocks.at(-1);
  if (!last) return null;
  // Only a block that nothing with text follows.
  let after: HtmlNode | null = last;
  while (after) {
    let next: HtmlNode | null = after.next;
    while (next) {
      if (textOf(next) !== '') return null;
      next = next.next;
    }
    after = after.parent && after.parent.type !== 'root' ? (after.parent as HtmlNode) : null;
  }
  return last;
}
