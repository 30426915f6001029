import { describe, expect, it } from 'vitest';
import { splitQuotedHtml, splitQuotedText } from './quotes.js';

describe('splitting plain text', () => {
  it('leaves a message without history whole', () => {
    expect(splitQuotedText('Hello,\n\nTwo tickets please.\n')).toEqual({
      newPart: 'Hello,\n\nTwo tickets please.',
      signature: null,
      quoted: null,
      style: null,
    });
  });

  it('cuts at a German attribution line that wraps over two lines', () => {
    const s = splitQuotedText(
      'Danke, das passt.\n\nAm Mo., 30. Nov. 2026 um 09:00 Uhr schrieb Box Office <\nboxoffice@demo.servewell.org>:\n\n> Guten Tag\n',
    );
    expect(s.newPart).toBe('Danke, das passt.');
    expect(s.quoted).toMatch(/^Am Mo\., 30\. Nov\. 2026/);
    expect(s.style).toBe('attribution');
  });

  it('cuts at an Outlook header block written without a rule', () => {
    const s = splitQuotedText(
      'Fine by me.\n\nFrom: Box Office <boxoffice@demo.servewell.org>\nSent: Monday, 30 November 2026 08:12\nTo: Robert\nSubject: Tickets\n\nDear Robert',
    );
    expect(s).toMatchObject({ newPart: 'Fine by me.', style: 'outlook' });
    expect(s.quoted).toMatch(/^From: Box Office/);
  });

  it('does not mistake a "From:" line in the middle of a message for a quote', () => {
    const text = 'My address changed.\nFrom: 12 Old Road\nTo: 4 New Street\n\nThanks';
    expect(splitQuotedText(text)).toMatchObject({ quoted: null, newPart: text });
  });

  it('keeps answers written between quoted lines as the new part', () => {
    const s = splitQuotedText(
      '> Which day suits you?\nThursday.\n\n> And how many seats?\nTwo, please.\n',
    );
    expect(s.style).toBe('interleaved');
    expect(s.newPart).toBe('Thursday.\n\nTwo, please.');
    expect(s.quoted).toContain('> Which day suits you?');
  });

  it('shows the quote itself when the reply contains nothing else', () => {
    const s = splitQuotedText('On Mon, 1 Dec 2026, Box Office wrote:\n> Hello\n');
    expect(s).toEqual({
      newPart: 'On Mon, 1 Dec 2026, Box Office wrote:\n> Hello',
      signature: null,
      quoted: null,
      style: null,
    });
  });

  it('takes the last "-- " delimiter as the signature and keeps "--" used as a dash', () => {
    const s = splitQuotedText('Price -- about 10 EUR.\n\n-- \nPat\n+44 20 7946 0000\n');
    expect(s).toMatchObject({
      newPart: 'Price -- about 10 EUR.',
      signature: 'Pat\n+44 20 7946 0000',
    });
  });

  it('treats a mobile footer as the signature', () => {
    expect(splitQuotedText('On my way.\n\nGet Outlook for Android\n')).toMatchObject({
      newPart: 'On my way.',
      signature: 'Get Outlook for Android',
    });
  });

  it('does not split a forwarded message: it is new to the desk', () => {
    const text =
      'Please see below.\n\n---------- Forwarded message ---------\nFrom: Alice <a@example.com>\nDate: Mon\nSubject: Refund\nTo: me\n\nI want a refund.';
    // The forwarded header is an Outlook-like block: the forward's own text is the new part...
    const s = splitQuotedText(text);
    expect(s.newPart).toContain('Please see below.');
    // ...and the forwarded content stays in the message, either as the new part or as history.
    expect(`${s.newPart}\n${s.quoted ?? ''}`).toContain('I want a refund.');
  });

  it('handles Windows line endings', () => {
    const s = splitQuotedText(
      'Yes.\r\n\r\nOn Tue, Dec 1, 2026 at 10:00 AM Box Office wrote:\r\n> Question?\r\n',
    );
    expect(s).toMatchObject({
      newPart: 'Yes.',
      quoted: 'On Tue, Dec 1, 2026 at 10:00 AM Box Office wrote:\n> Question?',
    });
  });
});

describe('splitting HTML', () => {
  it('leaves HTML without history whole', () => {
    expect(splitQuotedHtml('<p>Hello</p><p>Two tickets.</p>')).toEqual({
      newPart: '<p>Hello</p><p>Two tickets.</p>',
      signature: null,
      quoted: null,
      style: null,
    });
  });

  it("cuts at Thunderbird's cite prefix", () => {
    const s = splitQuotedHtml(
      '<p>Yes, Friday.</p><div class="moz-cite-prefix">On 01/12/2026 10:00, Box Office wrote:<br></div><blockquote type="cite">Which day?</blockquote>' +
        '<pre class="moz-signature" cols="72">-- \nKim</pre>',
    );
    expect(s.style).toBe('thunderbird');
    expect(s.newPart).toBe('<p>Yes, Friday.</p>');
    expect(s.quoted).toContain('Which day?');
  });

  it("cuts at Outlook desktop's bordered header", () => {
    const s = splitQuotedHtml(
      '<div class="WordSection1"><p class="MsoNormal">Thank you!</p>' +
        '<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm"><p class="MsoNormal"><b>From:</b> Box Office<br><b>Sent:</b> Monday</p></div>' +
        '<p class="MsoNormal">Earlier text</p></div>',
    );
    expect(s.style).toBe('outlook');
    expect(s.newPart).toContain('Thank you!');
    expect(s.newPart).not.toContain('Earlier text');
    expect(s.quoted).toContain('Earlier text');
  });

  it("cuts at Yahoo's quoted block", () => {
    const s = splitQuotedHtml(
      '<div>Sure.</div><div class="yahoo_quoted"><div>On Monday, Box Office wrote:</div><div>Hi</div></div>',
    );
    expect(s).toMatchObject({ style: 'yahoo', newPart: '<div>Sure.</div>' });
  });

  it('takes a plain blockquote as history only when an attribution introduces it', () => {
    const quotedPoem =
      '<p>My favourite line:</p><blockquote>To be or not to be</blockquote><p>Is it on tonight?</p>';
    expect(splitQuotedHtml(quotedPoem).quoted).toBeNull();
    const reply = splitQuotedHtml(
      '<p>Two.</p><p>On Mon, 1 Dec 2026, Box Office wrote:</p><blockquote>How many?</blockquote>',
    );
    expect(reply).toMatchObject({ newPart: '<p>Two.</p>', style: 'attribution' });
    expect(reply.quoted).toMatch(/^<p>On Mon, 1 Dec 2026, Box Office wrote:<\/p><blockquote>/);
  });

  it('cuts at a "-----Original Message-----" paragraph', () => {
    const s = splitQuotedHtml('<p>OK</p><p>-----Original Message-----</p><p>From: Box Office</p>');
    expect(s).toMatchObject({ newPart: '<p>OK</p>', style: 'outlook' });
  });

  it('keeps everything when the history is all there is', () => {
    const html =
      '<div class="gmail_quote">On Mon, X wrote:<blockquote class="gmail_quote">Hi</blockquote></div>';
    expect(splitQuotedHtml(html)).toEqual({
      newPart: html,
      signature: null,
      quoted: null,
      style: null,
    });
  });

  it('keeps an inline image as content of the new part', () => {
    const s = splitQuotedHtml('<div><img src="cid:a"></div><div class="gmail_quote">old</div>');
    expect(s).toMatchObject({
      newPart: '<div><img src="cid:a"></div>',
      quoted: '<div class="gmail_quote">old</div>',
    });
  });

  it('gives up splitting, not the message, on absurdly deep nesting', () => {
    const html = '<div>'.repeat(3000) + 'x' + '</div>'.repeat(3000);
    expect(splitQuotedHtml(html)).toMatchObject({ newPart: html, quoted: null });
  });
});
