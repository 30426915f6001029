// What goes inside an email's frame (MailFrame.tsx), apart from React so it can be tested alone:
// the document with its own Content-Security-Policy, and a guess at the content's height.

/**
 * The document inside the frame. `default-src 'none'`: no script, font, frame or fetch of any
 * kind; images from data: only (inline images arrive that way, see `useInlineImages`), remote
 * ones only once a person asked for them. The frame also inherits the desk's own policy.
 */
export function frameDocument(html: string, opts: { remoteImages: boolean }): string {
  const img = opts.remoteImages ? 'data: https: http:' : 'data:';
  const csp = `default-src 'none'; img-src ${img}; style-src 'unsafe-inline'; form-action 'none'`;
  return `<!doctype html><html><head>
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="referrer" content="no-referrer">
<base target="_blank">
<style>
  html { color-scheme: light; }
  body { margin: 8px 10px; font: 14px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #212529; background: #fff; overflow-wrap: anywhere; }
  img { max-width: 100%; height: auto; }
  table { max-width: 100%; }
  a { color: #1864ab; }
  blockquote { margin: 4px 0 4px 4px; padding-left: 10px; border-left: 3px solid #ced4da; color: #495057; }
  [data-blocked-image] { color: #495057; font-style: italic; }
</style></head><body>${html}</body></html>`;
}

const LINE = 21;
const PADDING = 24;
/** The frame's height before "Show all": enough for most replies, short of a screenful. */
export const FRAME_MAX = 420;
export const FRAME_MIN = 48;
/** "Show all" never makes one message taller than this; beyond it the frame scrolls. */
export const FRAME_ALL_MAX = 8000;
/** What starts a new line of text, and the space some of them add around it. */
const BLOCK = /<(br|p|div|li|tr|h[1-6]|blockquote|hr|table|ul|ol|dd|dt|pre)\b[^>]*>/gi;
const BLOCK_SPACE: Record<string, number> = { p: 14, h1: 40, h2: 30, h3: 24, h4: 20, h5: 18, h6: 16, ul: 14, ol: 14, blockquote: 8, hr: 16, table: 8, tr: 10, pre: 14 };

/**
 * The content's height, guessed for a frame `width` pixels wide: each run of text between block
 * breaks wrapped at the width (~7.5px a character), the space around headings and paragraphs,
 * and images' own heights. A frame that guesses short scrolls inside.
 */
export function estimateHeight(html: string, width: number): number {
  const perLine = Math.max(20, Math.floor((width - 20) / 7.5));
  const tags = [...html.matchAll(BLOCK)].map((m) => m[1]!.toLowerCase());
  const runs = html.split(BLOCK).filter((_, i) => i % 2 === 0);
  let lines = 0;
  for (const run of runs) {
    const text = run
      .replace(/<[^>]*>/g, '')
      .replace(/&[a-z#0-9]+;/gi, 'x')
      .replace(/\s+/g, ' ')
      .trim();
    if (text) lines += Math.ceil(text.length / perLine);
  }
  let space = 0;
  for (const tag of tags) space += BLOCK_SPACE[tag] ?? 0;
  let images = 0;
  for (const m of html.matchAll(/<img\b[^>]*?\bheight="(\d{1,5})"/gi)) images += Math.min(Number(m[1]), 800);
  return PADDING + lines * LINE + space + images;
}
