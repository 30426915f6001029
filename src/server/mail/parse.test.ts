import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { peekMessageId } from './message-id.js';
import { type ParsedMessage, parseMessage } from './parse.js';

const dir = new URL('./fixtures/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, dir));
const tested = new Set<string>();
async function parse(
  name: string,
  options?: Parameters<typeof parseMessage>[1],
): Promise<ParsedMessage> {
  tested.add(name);
  return parseMessage(fixture(name), options);
}

describe('parsing the fixture corpus', () => {
  afterAll(() => {
    // A fixture nobody asserts anything about is dead weight or a forgotten case.
    const all = readdirSync(dir).filter((f) => f.endsWith('.eml'));
    expect(all.filter((f) => !tested.has(f))).toEqual([]);
  });

  it('reads a multipart/alternative message: addresses, subject, date, text and sanitized HTML', async () => {
    const m = await parse('multipart-alternative.eml');
    expect(m.messageId).toBe('CAF1234.alt@mail.example.org');
    expect(m.messageIdDerived).toBe(false);
    expect(m.from).toEqual({ address: 'zoe@example.org', name: 'Zoë Patron' });
    expect(m.to).toEqual([{ address: 'boxoffice@demo.servewell.org', name: 'Box Office' }]);
    // The empty "undisclosed-recipients:;" group disappears, the real Cc stays.
    expect(m.cc).toEqual([{ address: 'sam@example.net', name: 'Sam Friend' }]);
    expect(m.replyTo).toEqual([{ address: 'zoe.home@example.org', name: 'Zoe at home' }]);
    expect(m.subject).toBe('Tickets for Saturday');
    expect(m.date).toBe(Date.UTC(2026, 10, 23, 9, 14));
    expect(m.text).toContain('Saturday’s matinée to the evening show? Row F is fine.');
    expect(m.html).toContain('<b>matinée</b>');
    expect(m.html).not.toContain('<style');
    expect(m.html).not.toContain('color: red');
    expect(m.textParts.quoted).toBeNull();
    expect(m.flags.noAutoResponse).toBe(false);
    expect(m.unparseable).toBeNull();
    expect(m.warnings).toEqual([]);
  });

  it('decodes an ISO-8859-1 body', async () => {
    const m = await parse('iso-8859-1.eml');
    expect(m.text).toBe(
      'Hola, ¿puedo pagar en la taquilla? Son 12 £ por niño.\nGrüße aus München, señor.\n',
    );
    expect(m.date).toBe(Date.UTC(2026, 10, 25, 17, 0));
  });

  it('decodes a Windows-1252 body, where 0x80–0x9F are letters and not controls', async () => {
    const m = await parse('windows-1252.eml');
    expect(m.text.trim()).toBe('Le billet coûtait 25 € – le “tarif réduit”…');
  });

  it('decodes B-encoded words in the subject and the sender name', async () => {
    const m = await parse('encoded-word-b.eml');
    expect(m.subject).toBe('Billets pour samedi — merci ✓');
    expect(m.from).toEqual({ address: 'elodie@example.de', name: 'Élodíe Müller' });
  });

  it('decodes folded Q-encoded words in ISO-8859-1, joining adjacent words without their space', async () => {
    const m = await parse('encoded-word-q.eml');
    expect(m.subject).toBe('Réservation pour la représentation de 18h (groupe scolaire)');
    expect(m.from?.name).toBe('François Léger');
  });

  it('decodes a base64 UTF-8 body', async () => {
    const m = await parse('base64-body.eml');
    expect(m.text).toBe(
      'Καλησπέρα σας,\nθα ήθελα δύο εισιτήρια για την Κυριακή.\n日本語も大丈夫です。\n',
    );
  });

  it('decodes quoted-printable with soft line breaks and an encoded equals sign', async () => {
    const m = await parse('quoted-printable.eml');
    expect(m.subject).toBe('Membership renewal – question');
    expect(m.text).toContain('My renewal code is A=B-42 and the form says “invalid”.');
    expect(m.text).toContain('wrapped with a soft line break so that no encoded line');
    expect(m.text).toContain('Namasté');
    expect(m.to).toEqual([{ address: 'members@demo.servewell.org', name: 'Membership' }]);
  });

  it('keeps attachments with a safe filename, their size, type and SHA-256', async () => {
    const raw = fixture('attachment-pdf.eml');
    const m = await parse('attachment-pdf.eml');
    expect(m.attachments).toHaveLength(2);
    const [pdf, other] = m.attachments;
    expect(pdf).toMatchObject({
      filename: 'Reçu 2026.pdf',
      contentType: 'application/pdf',
      inline: false,
      contentId: null,
    });
    expect(pdf!.content.subarray(0, 8).toString('latin1')).toBe('%PDF-1.4');
    expect(pdf!.size).toBe(pdf!.content.length);
    expect(pdf!.sha256).toBe(createHash('sha256').update(pdf!.content).digest('hex'));
    // The decoded content is what is hashed, not the base64 in the message.
    const base64 = raw.toString('latin1').split('filename*=')[1]!.split('\n\n')[0]!;
    expect(pdf!.sha256).not.toBe(createHash('sha256').update(base64).digest('hex'));
    // A path in a filename never survives.
    expect(other!.filename).toBe('passwd');
    expect(m.text.trim()).toBe('Please find the receipt attached; the amount is wrong.');
  });

  it('maps a cid: image to its attachment, blocks the remote image and the CSS background', async () => {
    const m = await parse('inline-image-cid.eml', {
      attachmentUrl: (a) => `/api/mail/7/parts/${a.sha256}`,
    });
    const [poster] = m.attachments;
    expect(poster).toMatchObject({
      filename: 'poster.png',
      contentType: 'image/png',
      contentId: 'poster.png@example.com',
      inline: true,
    });
    expect(poster!.content.subarray(1, 4).toString()).toBe('PNG');
    expect(m.html).toContain(`<img src="/api/mail/7/parts/${poster!.sha256}" alt="Poster"`);
    expect(m.html).not.toContain('tracker.example.com');
    expect(m.html).not.toContain('cid:');
    expect(m.blockedRemoteImages).toBe(1);
    // The text is made from the HTML when the message has none of its own.
    expect(m.text).toContain('Here is the poster:');
    expect(m.text).toContain('Regards');
  });

  it('reads an HTML reply with a script, a remote image, an inline logo and quoted history', async () => {
    const blocked = await parse('html-remote-image.eml');
    expect(blocked.blockedRemoteImages).toBe(1);
    const html = blocked.htmlParts!;
    expect(html.newPart).toContain('<b>table plan</b>');
    expect(html.newPart).toContain('<span data-blocked-image>[Seating plan]</span>');
    expect(html.newPart).not.toMatch(/script|onload|<style|<title/i);
    expect(html.quoted).toContain('<blockquote>Could you send us your <i>table plan</i>?</blockquote>');
    expect(html.newPart).not.toContain('Could you send us');
    expect(blocked.attachments).toMatchObject([{ filename: 'logo.png', inline: true }]);
    expect(blocked.textParts.newPart).toBe('Here is our table plan for the gala.\nTable 4 needs a step-free route.\n\nPriya');

    const shown = await parse('html-remote-image.eml', { allowRemoteImages: true });
    expect(shown.blockedRemoteImages).toBe(0);
    expect(shown.htmlParts!.newPart).toContain('<img src="https://images.patron.example/plan.png" alt="Seating plan"');
    expect(shown.htmlParts!.newPart).not.toMatch(/script|onload/i);
  });

  it('lists a related image that the HTML never shows as an attachment, not inline', async () => {
    const raw = fixture('inline-image-cid.eml')
      .toString('latin1')
      .replace('src="cid:poster.png@example.com"', 'src="cid:other@x"');
    const m = await parseMessage(Buffer.from(raw, 'latin1'));
    expect(m.attachments[0]).toMatchObject({ contentId: 'poster.png@example.com', inline: false });
    expect(m.html).not.toContain('<img');
  });

  it('splits an Outlook reply (HTML and text) and keeps its conversation headers', async () => {
    const m = await parse('reply-outlook.eml');
    expect(m.subject).toBe('RE: Your tickets for Saturday [SW-1042]');
    expect(m.caseReferences).toEqual(['SW-1042']);
    expect(m.inReplyTo).toEqual(['sw.1042.3@demo.servewell.org']);
    expect(m.references).toEqual(['CAF1234.alt@mail.example.org', 'sw.1042.3@demo.servewell.org']);
    expect(m.threadTopic).toBe('Your tickets for Saturday [SW-1042]');
    expect(m.threadIndex).toBe('Ad2AonlaFkBhnZePbKvHX+YH44PEmw==');
    expect(m.textParts).toMatchObject({
      newPart: 'Thanks, the evening show works for us.\n\nRobert',
      style: 'outlook',
    });
    expect(m.textParts.quoted).toMatch(/^_{32}\nFrom: Box Office/);
    expect(m.htmlParts?.style).toBe('outlook');
    expect(m.htmlParts?.newPart).toContain('Thanks, the evening show works for us.');
    expect(m.htmlParts?.newPart).not.toContain('Dear Robert');
    expect(m.htmlParts?.quoted).toContain('Dear Robert, we can move your tickets');
    // The whole message stays available.
    expect(m.html).toContain('Thanks, the evening show');
    expect(m.html).toContain('Dear Robert');
  });

  it('splits an Outlook "-----Original Message-----" reply', async () => {
    const m = await parse('reply-outlook-original-message.eml');
    expect(m.caseReferences).toEqual(['SW-77']);
    expect(m.textParts.newPart).toBe(
      'Hi,\n\nWe will be 32 people, not 30.\n\nBest regards,\nAlice Wong\nCorporate Events',
    );
    expect(m.textParts.quoted).toMatch(/^-----Original Message-----\nFrom: Box Office/);
    expect(m.from).toEqual({ address: 'awong@corp.example.com', name: 'Wong, Alice' });
  });

  it('splits a Gmail reply: signature and wrapped "On … wrote:" in text, gmail_quote in HTML', async () => {
    const m = await parse('reply-gmail.eml');
    expect(m.textParts).toEqual({
      newPart: 'Yes please, an aisle seat would be perfect. My companion needs one too.',
      signature: 'Jane Doe\nVolunteer coordinator',
      quoted: expect.stringMatching(
        /^On Tue, Dec 1, 2026 at 10:00\u202fAM Box Office <boxoffice@demo\.servewell\.org>\nwrote:\n\n> Dear Jane/,
      ),
      style: 'attribution',
    });
    expect(m.htmlParts?.style).toBe('gmail');
    expect(m.htmlParts?.newPart).toContain('an aisle seat would be perfect');
    expect(m.htmlParts?.newPart).not.toContain('Volunteer coordinator');
    expect(m.htmlParts?.signature).toContain('Volunteer coordinator');
    expect(m.htmlParts?.quoted).toContain('wheelchair spaces in row A');
    expect(m.htmlParts?.quoted).not.toContain('class=');
  });

  it('splits an Apple Mail reply and recognises "Sent from my iPhone" as a signature', async () => {
    const m = await parse('reply-apple.eml');
    expect(m.messageId).toBe('7A1B2C3D-4E5F-6789-ABCD-EF0123456789@icloud.example');
    expect(m.references).toEqual(['sw.3300.1@demo.servewell.org', 'sw.3300.2@demo.servewell.org']);
    expect(m.textParts).toMatchObject({
      newPart: 'It is a blue umbrella with a wooden handle.',
      signature: 'Sent from my iPhone',
      style: 'quoted-lines',
    });
    expect(m.htmlParts?.style).toBe('apple');
    expect(m.htmlParts?.newPart).toContain('blue umbrella');
    expect(m.htmlParts?.newPart).not.toContain('describe the umbrella');
    expect(m.htmlParts?.signature).toContain('Sent from my iPhone');
    expect(m.htmlParts?.quoted).toContain('Could you describe the umbrella?');
  });

  it('splits a plain ">" reply with a "-- " signature and nested quotes', async () => {
    const m = await parse('reply-plain.eml');
    expect(m.subject).toBe('Re: Re: Re: Season pass [SW-510]');
    expect(m.caseReferences).toEqual(['SW-510']);
    expect(m.from).toEqual({ address: 'old.timer@example.net', name: '' });
    expect(m.textParts).toEqual({
      newPart: "Thursday suits me. I'll bring the old card.",
      signature: 'Arthur\nMember since 1987',
      quoted:
        'Box Office wrote:\n> Would Thursday at 10 suit you?\n>> On Monday you wrote:\n>> When can I come to renew?',
      style: 'attribution',
    });
    expect(m.htmlParts).toBeNull();
  });

  it('flags a vacation auto-reply, and never as a bounce', async () => {
    const m = await parse('auto-reply-vacation.eml');
    expect(m.flags).toEqual({
      autoSubmitted: true,
      autoReply: true,
      bulk: true,
      list: false,
      bounce: false,
      nullSender: true,
      suppressAutoResponse: true,
      noAutoResponse: true,
    });
    expect(m.bounce).toBeNull();
    expect(m.inReplyTo).toEqual(['sw.1042.5@demo.servewell.org']);
  });

  it('reads a DSN bounce: failed and delayed recipients, status, and the Message-ID that bounced', async () => {
    const m = await parse('bounce-dsn.eml');
    expect(m.flags).toMatchObject({
      bounce: true,
      autoReply: false,
      nullSender: true,
      noAutoResponse: true,
    });
    expect(m.bounce).toEqual({
      failedRecipients: ['gone@example.net', 'also-gone@example.net'],
      delayedRecipients: ['slow@example.net'],
      originalMessageId: 'sw.1042.9@demo.servewell.org',
      status: '5.1.1',
      diagnostic: '550 5.1.1 <gone@example.net>: Recipient address rejected: User unknown',
    });
    expect(m.attachments.map((a) => a.contentType)).toEqual([
      'message/delivery-status',
      'text/rfc822-headers',
    ]);
  });

  it('reads an Exim bounce without a DSN from X-Failed-Recipients and the quoted headers', async () => {
    const m = await parse('bounce-exim.eml');
    expect(m.flags.bounce).toBe(true);
    expect(m.bounce).toMatchObject({
      failedRecipients: ['nobody@example.co.uk'],
      originalMessageId: 'sw.88.2@demo.servewell.org',
    });
  });

  it('recognises a bounce from a MAILER-DAEMON written without a domain', async () => {
    const raw = Buffer.from(
      'From: MAILER-DAEMON\r\nTo: a@demo.servewell.org\r\nSubject: Returned mail\r\nMessage-ID: <b@x>\r\n\r\nfailed\r\n',
    );
    const m = await parseMessage(raw);
    expect(m.from).toBeNull();
    expect(m.flags).toMatchObject({ bounce: true, noAutoResponse: true });
  });

  it('treats a null envelope sender as a bounce when the message says nothing else', async () => {
    const raw = Buffer.from(
      'From: postmaster@example.net\r\nTo: a@demo.servewell.org\r\nSubject: failure\r\nMessage-ID: <n@x>\r\n\r\nYour mail failed.\r\n',
    );
    const m = await parseMessage(raw, { envelopeFrom: '' });
    expect(m.flags).toMatchObject({ nullSender: true, bounce: true, noAutoResponse: true });
    const normal = await parseMessage(raw, { envelopeFrom: 'postmaster@example.net' });
    expect(normal.flags).toMatchObject({ nullSender: false, bounce: false, noAutoResponse: false });
  });

  it('flags list and bulk mail and strips its form and event handlers', async () => {
    const m = await parse('list-bulk.eml');
    expect(m.flags).toMatchObject({ list: true, bulk: false, bounce: false, noAutoResponse: true });
    expect(m.html).toContain('href="https://lists.example.org/grants"');
    expect(m.html).not.toMatch(/onclick|<form|<input|evil\.example/);
    expect(m.text).toContain('Grants open on our site');
  });

  it('reads malformed MIME as far as it goes and says so', async () => {
    const m = await parse('malformed-mime.eml');
    expect(m.unparseable).toBeNull();
    expect(m.subject).toBe('Broken message');
    expect(m.from?.address).toBe('broken@example.com');
    expect(m.text).toContain('Hello, my base64 is broken');
    expect(m.warnings).toContain(
      'The multipart message is not closed; it was read as far as it goes.',
    );
    for (const a of m.attachments) expect(a.filename).not.toMatch(/[/\\]/);
  });

  it('reads 8-bit junk in headers as Windows-1252, drops NUL and controls, and an unreadable date', async () => {
    const m = await parse('junk-8bit-headers.eml');
    expect(m.from).toEqual({ address: 'mueller@example.de', name: 'Müller ÿþ' });
    expect(m.subject).toBe('Grüße Ã( aus Köln bitte');
    expect(m.subject).not.toContain('\u0000');
    expect(m.date).toBeNull();
    expect(m.messageId).toBe('junk-8bit@example.de');
    expect(m.warnings).toEqual([
      'Header lines with 8-bit or control characters were read as Windows-1252.',
      'The Date header could not be read: not a date at all',
    ]);
    expect(m.text).toContain('Der Text ist auch 8-bit');
  });

  it('leaves raw UTF-8 headers (RFC 6532) as they are, with no warning', async () => {
    const raw = Buffer.from(
      'From: Jürgen Groß <jurgen@exämple.de>\r\nTo: a@demo.servewell.org\r\nSubject: Grüße aus Köln ✓\r\nMessage-ID: <u8@x>\r\n\r\nHallo\r\n',
    );
    const m = await parseMessage(raw);
    expect(m).toMatchObject({
      subject: 'Grüße aus Köln ✓',
      from: { address: 'jurgen@exämple.de', name: 'Jürgen Groß' },
      warnings: [],
    });
  });

  it('returns an unparseable message for 0 bytes, with a stable derived id', async () => {
    const m = await parse('empty.eml');
    expect(m.unparseable).toBe('The message is empty.');
    expect(m.messageIdDerived).toBe(true);
    expect(m.messageId).toMatch(/^derived\.[0-9a-f]{40}@servewell\.invalid$/);
    expect(m).toMatchObject({
      from: null,
      to: [],
      subject: '',
      text: '',
      html: null,
      attachments: [],
      size: 0,
    });
  });

  it('reads a message whose body is empty', async () => {
    const m = await parse('empty-body.eml');
    expect(m.unparseable).toBeNull();
    expect(m).toMatchObject({
      subject: '',
      text: '',
      html: null,
      messageId: 'empty-body@example.com',
    });
    expect(m.textParts.newPart).toBe('');
  });

  it('keeps text without any header readable, flagged unparseable', async () => {
    const m = await parseMessage(Buffer.from('just some words\r\nand more, no headers at all'));
    expect(m.unparseable).toBe('The message has no header fields.');
    expect(m.text).toBe('just some words\r\nand more, no headers at all');
  });

  it('derives the same Message-ID for a retry through other relays, and another for other content', async () => {
    const m = await parse('no-message-id.eml');
    expect(m.messageIdDerived).toBe(true);
    expect(m.date).toBeNull();
    expect(m.subject).toBe('Where is my order?');
    const raw = fixture('no-message-id.eml');
    const relayed = Buffer.concat([
      Buffer.from(
        'Return-Path: <anon@example.com>\r\nReceived: from relay2 by mx; Tue, 1 Dec 2026 10:00:00 +0000\r\n',
      ),
      raw,
    ]);
    expect((await parseMessage(relayed)).messageId).toBe(m.messageId);
    const other = Buffer.from(
      raw.toString('latin1').replace('two programmes', 'three programmes'),
      'latin1',
    );
    expect((await parseMessage(other)).messageId).not.toBe(m.messageId);
  });

  it('peeks at the same Message-ID the parser gives, for every fixture, without parsing', async () => {
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.eml'))) {
      const raw = fixture(name);
      const parsed = await parseMessage(raw);
      expect(peekMessageId(raw), name).toEqual({
        messageId: parsed.messageId,
        derived: parsed.messageIdDerived,
      });
    }
  });

  it('shows remote images only when asked to', async () => {
    const m = await parseMessage(fixture('inline-image-cid.eml'), { allowRemoteImages: true });
    expect(m.html).toContain('<img src="https://tracker.example.com/open.gif?u=42"');
    expect(m.blockedRemoteImages).toBe(0);
    // A CSS background is never loaded, asked or not.
    expect(m.html).not.toContain('bg.gif');
  });

  it('never throws, whatever the bytes', async () => {
    const inputs = [
      Buffer.from([0xff, 0xfe, 0x00, 0x01]),
      Buffer.from('\r\n\r\n\r\n'),
      Buffer.from('Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n--x\r\n--x--'),
      Buffer.from(`Subject: ${'a'.repeat(200_000)}\r\n\r\nbody`),
      Buffer.from(
        'Content-Type: text/html\r\n\r\n' + '<div>'.repeat(5000) + 'deep' + '</div>'.repeat(5000),
      ),
      Buffer.from(
        'Message-ID: <' +
          'x'.repeat(5000) +
          '@example.com>\r\nIn-Reply-To: garbage without brackets\r\n\r\nhi',
      ),
    ];
    for (const raw of inputs) {
      const m = await parseMessage(raw);
      expect(typeof m.messageId).toBe('string');
      expect(m.messageId.length).toBeLessThanOrEqual(250);
    }
  });
});
