// Makes a message's HTML safe to show inside the desk: an allowlist of layout tags and
// harmless styles, no scripts, handlers, forms, frames or external CSS, remote images blocked.
//
// Defence in depth: the screen should still render the result in a sandboxed iframe with a
// CSP that forbids scripts. sanitize-html is pinned to 2.17.5, the last release that runs on
// Node 20; the fixes after it concern <textarea>, <xmp> and SVG animation, none of which this
// allowlist lets through.
import sanitizeHtml from 'sanitize-html';

export interface SanitizeOptions {
  /**
   * The URL at which the desk serves the inline part with this Content-ID (no angle brackets),
   * or null when the message has no such part (the image is then dropped).
   */
  resolveCid?: (cid: string) => string | null;
  /** Let remote images load. Off by default: loading them tells the sender the mail was read. */
  allowRemoteImages?: boolean;
}

export interface SanitizedHtml {
  html: string;
  /** Remote images left out; the screen can offer "show images" when this is above zero. */
  blockedRemoteImages: number;
}

// prettier-ignore
const ALLOWED_TAGS = [
  'a', 'abbr', 'address', 'article', 'b', 'bdi', 'bdo', 'big', 'blockquote', 'br', 'caption',
  'center', 'cite', 'code', 'col', 'colgroup', 'dd', 'del', 'details', 'dfn', 'div', 'dl', 'dt',
  'em', 'figcaption', 'figure', 'font', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header',
  'hr', 'i', 'img', 'ins', 'kbd', 'li', 'main', 'mark', 'ol', 'p', 'pre', 'q', 's', 'samp',
  'section', 'small', 'span', 'strike', 'strong', 'sub', 'summary', 'sup', 'table', 'tbody', 'td',
  'tfoot', 'th', 'thead', 'time', 'tr', 'tt', 'u', 'ul', 'var', 'wbr',
];

// Tags whose content is dropped with them: code, styles, and form controls' option lists.
// prettier-ignore
const NON_TEXT_TAGS = [
  'script', 'style', 'title', 'head', 'textarea', 'option', 'select', 'noscript', 'template',
  'xmp', 'iframe', 'object', 'embed', 'svg', 'math', 'noembed', 'noframes', 'frameset', 'applet',
];

const LAYOUT_ATTRIBUTES = ['align', 'valign', 'width', 'height', 'dir', 'lang', 'title', 'style'];

// One value rule for every allowed property: no function call that could fetch or compute
// (url(), image(), expression(), var()...), no scheme, no CSS escapes or comments (no `\`, `*`).
const SAFE_CSS_VALUE =
  /^(?!.*\b(?:url|expression|image|image-set|element|paint|cross-fade|var|env|attr|src)\s*\()(?!.*(?:javascript|vbscript|data)\s*:)[\w\s#.,%+\-/'"()!]{0,300}$/i;

// prettier-ignore
const STYLE_PROPERTIES = [
  'color', 'background-color', 'font', 'font-family', 'font-size', 'font-style', 'font-weight',
  'font-variant', 'letter-spacing', 'line-height', 'text-align', 'text-decoration',
  'text-indent', 'text-transform', 'vertical-align', 'white-space', 'word-break', 'word-spacing',
  'overflow-wrap', 'direction', 'list-style-type', 'border-collapse', 'border-spacing',
  'width', 'height', 'max-width', 'min-width', 'max-height', 'min-height',
  'margin', 'margin-top', 'margin-right', 'margin-bottom', 'margin-left',
  'padding', 'padding-top', 'padding-right', 'padding-bottom', 'padding-left',
  'border', 'border-top', 'border-right', 'border-bottom', 'border-left', 'border-color',
  'border-style', 'border-width', 'border-radius',
];

const ALLOWED_STYLES = {
  '*': Object.fromEntries(STYLE_PROPERTIES.map((p) => [p, [SAFE_CSS_VALUE]])),
};

const INLINE_DATA_IMAGE = /^data:image\/(?:png|gif|jpe?g|webp|bmp);base64,[a-z0-9+/=\s]+$/i;
const REMOTE_IMAGE = /^(?:https?:)?\/\//i;

/** Browsers ignore tabs, newlines and leading control characters in URLs; so do we. */
// eslint-disable-next-line no-control-regex -- the control characters are what is removed
const normalizeUrl = (url: string) => url.replace(/[\u0000-\u0020\u007f]/g, '');

export function sanitizeEmailHtml(html: string, options: SanitizeOptions = {}): SanitizedHtml {
  let blockedRemoteImages = 0;
  const clean = sanitizeHtml(html, {
    allowedTags: ALLOWED_TAGS,
    nonTextTags: NON_TEXT_TAGS,
    disallowedTagsMode: 'discard',
    allowedAttributes: {
      '*': LAYOUT_ATTRIBUTES,
      a: ['href', 'target', 'rel'],
      img: ['src', 'alt', 'width', 'height'],
      font: ['color', 'face', 'size'],
      table: ['border', 'cellpadding', 'cellspacing', 'bgcolor'],
      td: ['colspan', 'rowspan', 'bgcolor', 'nowrap'],
      th: ['colspan', 'rowspan', 'bgcolor', 'nowrap', 'scope'],
      tr: ['bgcolor'],
      col: ['span'],
      colgroup: ['span'],
      ol: ['start', 'type', 'reversed'],
      li: ['value'],
      time: ['datetime'],
      blockquote: ['cite'],
      q: ['cite'],
      span: ['data-blocked-image'],
    },
    allowedStyles: ALLOWED_STYLES,
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    // The img transform below has already decided; this only lets its decision through.
    allowedSchemesByTag: { img: ['http', 'https', 'data'] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
    allowProtocolRelative: false,
    nestingLimit: 200,
    transformTags: {
      a: (tagName, attribs) => ({
        tagName,
        attribs: { ...attribs, target: '_blank', rel: 'noopener noreferrer nofollow' },
      }),
      img: (_tagName, attribs) => {
        const src = normalizeUrl(attribs.src ?? '');
        const keep = (url: string) => ({
          tagName: 'img',
          attribs: { ...attribs, src: url },
        });
        // Anything not shown becomes its alt text, so the reader still knows an image was there.
        const drop = () => ({
          tagName: 'span',
          attribs: { 'data-blocked-image': '' },
          text: attribs.alt ? `[${attribs.alt}]` : '',
        });
        if (/^cid:/i.test(src)) {
          const url = options.resolveCid?.(decodeCid(src.slice(4)));
          return url ? keep(url) : drop();
        }
        if (INLINE_DATA_IMAGE.test(src)) return keep(src);
        if (src === '') return drop();
        // Everything else would make the reader's browser fetch something: a remote image, or a
        // relative URL that would land on the desk itself.
        if (REMOTE_IMAGE.test(src)) {
          if (options.allowRemoteImages) return keep(src.startsWith('//') ? `https:${src}` : src);
          blockedRemoteImages++;
        }
        return drop();
      },
    },
    parser: { lowerCaseTags: true, lowerCaseAttributeNames: true, decodeEntities: true },
  });
  return { html: clean, blockedRemoteImages };
}

function decodeCid(cid: string): string {
  try {
    return decodeURIComponent(cid);
  } catch {
    return cid;
  }
}
