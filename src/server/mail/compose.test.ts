import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { composeReply, MAX_REFERENCES, type ReplyInput, threadReferences } from './compose.js';
import { newMessageId } from './message-id.js';
import { parseMessage } from './parse.js';
import { baseSubject, findCaseReferences, replySubject } from './subject.js';
import { decodeThreadIndex, threadIndexFor } from './thread-index.js';

const at = Date.UTC(2026, 10, 30, 9, 30);
const base: ReplyInput = {
  from: { address: 'boxoffice@demo.servewell.org', name: 'Box Office' },
  to: [{ address: 'zoe@example.org', name: 'Zoë Patron' }],
  cc: [{ address: 'sam@example.net', name: 'Sam Friend' }],
  messageId: 'sw-1042.mjq1x.0af3@demo.servewell.org',
  date: at,
  subject: 'Tickets for Saturday',
  caseReference: 'SW-1042',
  inReplyTo: 'CAF1234.alt@mail.example.org',
  references: ['root.1@example.org'],
  text: 'Dear Zoë,\n\nWe moved your tickets to the 19:30 show.\nRow F, seats 11 and 12.',
  signature: 'Box Office\nCity Theatre',
};

describe('composing a reply', () => {
  it('carries the threading headers, read back by mailparser', async () => {
    const composed = await composeReply(base);
    const mail = await simpleParser(composed.raw);
    expect(mail.messageId).toBe('<sw-1042.mjq1x.0af3@demo.servewell.org>');
    expect(mail.inReplyTo).toBe('<CAF1234.alt@mail.example.org>');
    expect(mail.references).toEqual(['<root.1@example.org>', '<CAF1234.alt@mail.example.org>']);
    expect(mail.subject).toBe('Re: Tickets for Saturday [SW-1042]');
    expect(mail.headers.get('thread-topic')).toBe('Tickets for Saturday');
    expect(mail.headers.get('auto-submitted')).toBeUndefined();
    expect(mail.from?.value).toEqual([
      { address: 'boxoffice@demo.servewell.org', name: 'Box Office' },
    ]);
    expect(mail.to).toMatchObject({ value: [{ address: 'zoe@example.org', name: 'Zoë Patron' }] });
    expect(mail.cc).toMatchObject({ value: [{ address: 'sam@example.net', name: 'Sam Friend' }] });
    expect(mail.date?.getTime()).toBe(at);
    expect(composed.envelope).toEqual({
      from: 'boxoffice@demo.servewell.org',
      to: ['zoe@example.org', 'sam@example.net'],
    });
  });

  it('sends text and an HTML alternative, both with the signature set off by "-- "', async () => {
    const mail = await simpleParser((await composeReply(base)).raw);
    expect(mail.text).toBe(
      'Dear Zoë,\n\nWe moved your tickets to the 19:30 show.\nRow F, seats 11 and 12.\n\n-- \nBox Office\nCity Theatre\n',
    );
    expect(mail.html).toContain(
      '<p>We moved your tickets to the 19:30 show.<br>\nRow F, seats 11 and 12.</p>',
    );
    expect(mail.html).toContain('-- <br>');
    expect(mail.html).toContain('City Theatre');
    expect(mail.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
  });

  it('escapes what the associate typed in the HTML part', async () => {
    const mail = await simpleParser(
      (await composeReply({ ...base, text: 'Use <b>code</b> & "quotes"' })).raw,
    );
    expect(mail.html).toContain('Use &lt;b&gt;code&lt;/b&gt; &amp; &quot;quotes&quot;');
    expect(mail.text).toContain('Use <b>code</b> & "quotes"');
  });

  it('is recognised by our own parser: new text, signature and quoted history apart', async () => {
    const composed = await composeReply({
      ...base,
      quote: {
        attribution: 'On Mon, 23 Nov 2026 at 10:14, Zoë Patron wrote:',
        text: 'Could I change my tickets?\n> older',
      },
    });
    const parsed = await parseMessage(composed.raw);
    expect(parsed.textParts).toEqual({
      newPart: 'Dear Zoë,\n\nWe moved your tickets to the 19:30 show.\nRow F, seats 11 and 12.',
      signature: 'Box Office\nCity Theatre',
      quoted:
        'On Mon, 23 Nov 2026 at 10:14, Zoë Patron wrote:\n> Could I change my tickets?\n>> older',
      style: 'attribution',
    });
    expect(parsed.htmlParts?.style).toBe('gmail');
    expect(parsed.htmlParts?.quoted).toContain('Could I change my tickets?');
    expect(parsed.caseReferences).toEqual(['SW-1042']);
    expect(parsed.flags.noAutoResponse).toBe(false);
  });

  it('marks an acknowledgement as automatic, so auto-responders leave it alone', async () => {
    const composed = await composeReply({ ...base, kind: 'acknowledgement' });
    const mail = await simpleParser(composed.raw);
    expect(mail.headers.get('auto-submitted')).toBe('auto-replied');
    expect(mail.headers.get('x-auto-response-suppress')).toBe('All');
    // And our own listener would never answer it either.
    expect((await parseMessage(composed.raw)).flags.noAutoResponse).toBe(true);
  });

  it('adds the reference once and one "Re:", whatever the patron\'s program piled up', async () => {
    for (const subject of [
      'Re: Re: RE: Tickets for Saturday [SW-1042]',
      'AW: Fwd: [SW-1042] Tickets for Saturday',
      'Re[3]: Tickets for Saturday [sw-1042] [SW-1042]',
      'Tickets for Saturday',
    ]) {
      const mail = await simpleParser((await composeReply({ ...base, subject })).raw);
      expect(mail.subject).toBe('Re: Tickets for Saturday [SW-1042]');
    }
  });

  it('starts a new thread without "Re:" when nothing is answered (a web-form case)', async () => {
    const composed = await composeReply({ ...base, inReplyTo: null, references: [] });
    const mail = await simpleParser(composed.raw);
    expect(mail.subject).toBe('Tickets for Saturday [SW-1042]');
    expect(mail.inReplyTo).toBeUndefined();
    expect(mail.references).toBeUndefined();
  });

  it('bounds References: the thread root and the latest ids, the answered one last', async () => {
    const references = Array.from({ length: 60 }, (_, i) => `m${i}@example.org`);
    const composed = await composeReply({ ...base, references, inReplyTo: 'latest@example.org' });
    expect(composed.references).toHaveLength(MAX_REFERENCES);
    expect(composed.references[0]).toBe('m0@example.org');
    expect(composed.references.at(-1)).toBe('latest@example.org');
    expect(composed.references.at(-2)).toBe('m59@example.org');
    const mail = await simpleParser(composed.raw);
    expect(mail.references).toHaveLength(MAX_REFERENCES);
  });

  it('keeps References under 2,000 characters even with long ids', () => {
    const long = Array.from({ length: 15 }, (_, i) => `${'x'.repeat(200)}.${i}@example.org`);
    const refs = threadReferences(long, 'answered@example.org');
    expect(refs.reduce((n, id) => n + id.length + 3, 0)).toBeLessThanOrEqual(2000);
    expect(refs[0]).toBe(long[0]);
    expect(refs.at(-1)).toBe('answered@example.org');
  });

  it("continues the patron's Outlook conversation: same GUID, one more child block", async () => {
    const parent = threadIndexFor({
      conversationKey: 'root.1@example.org',
      date: at - 3_600_000,
      salt: 'p',
    });
    const mail = await simpleParser(
      (await composeReply({ ...base, parentThreadIndex: parent })).raw,
    );
    const index = String(mail.headers.get('thread-index'));
    expect(decodeThreadIndex(index)).toEqual({ ...decodeThreadIndex(parent)!, replies: 1 });
    expect(index.startsWith(parent.slice(0, 28))).toBe(true);
  });

  it('gives every reply of one thread the same Outlook conversation, from the thread root', async () => {
    const first = await simpleParser((await composeReply(base)).raw);
    const second = await simpleParser(
      (
        await composeReply({
          ...base,
          messageId: 'other@demo.servewell.org',
          references: ['root.1@example.org', 'x@y'],
        })
      ).raw,
    );
    const a = decodeThreadIndex(String(first.headers.get('thread-index')))!;
    const b = decodeThreadIndex(String(second.headers.get('thread-index')))!;
    expect(a.guid).toBe(b.guid);
    expect(Math.abs(a.startedAt - at)).toBeLessThan(10);
  });

  it('gives the same bytes for the same input, so a retry sends the very same message', async () => {
    const one = await composeReply(base);
    const two = await composeReply(base);
    expect(one.raw.equals(two.raw)).toBe(true);
    const other = await composeReply({ ...base, messageId: newMessageId('demo.servewell.org') });
    expect(other.raw.equals(one.raw)).toBe(false);
  });

  it('refuses addresses that are not addresses, and keeps names on one header line', async () => {
    await expect(
      composeReply({ ...base, to: [{ address: 'zoe@example.org\r\nBcc: spy@evil.example' }] }),
    ).rejects.toThrow(/to is not a usable address/);
    await expect(composeReply({ ...base, to: [] })).rejects.toThrow(/at least one/);
    await expect(composeReply({ ...base, messageId: 'no-at-sign' })).rejects.toThrow(/messageId/);
    const composed = await composeReply({
      ...base,
      to: [{ address: 'zoe@example.org', name: 'Zoë\r\nBcc: spy@evil.example' }],
    });
    const mail = await simpleParser(composed.raw);
    expect(mail.bcc).toBeUndefined();
    expect(composed.raw.toString()).not.toMatch(/^Bcc:/m);
  });

  it('sends one copy to a patron named in both To and Cc', async () => {
    const composed = await composeReply({
      ...base,
      cc: [{ address: 'Zoe@Example.org' }, { address: 'sam@example.net' }],
    });
    expect(composed.envelope.to).toEqual(['zoe@example.org', 'sam@example.net']);
  });

  it('attaches files', async () => {
    const content = Buffer.from('%PDF-1.4 receipt');
    const mail = await simpleParser(
      (
        await composeReply({
          ...base,
          attachments: [{ filename: 'Reçu.pdf', contentType: 'application/pdf', content }],
        })
      ).raw,
    );
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]).toMatchObject({
      filename: 'Reçu.pdf',
      contentType: 'application/pdf',
    });
    expect(mail.attachments[0]!.content.equals(content)).toBe(true);
  });

  it('makes Message-IDs unique, on the team domain, with the reference for people reading logs', () => {
    const ids = new Set(
      Array.from({ length: 1000 }, () =>
        newMessageId('Demo.Servewell.org', { reference: 'SW-1042' }),
      ),
    );
    expect(ids.size).toBe(1000);
    for (const id of ids)
      expect(id).toMatch(/^sw-1042\.[0-9a-z]+\.[0-9a-f]{24}@demo\.servewell\.org$/);
  });
});

describe('subjects', () => {
  it('finds bracketed references, upper-cased, without repeats', () => {
    expect(findCaseReferences('Re: [sw-12] about [SW-12] and [AB-3]')).toEqual(['SW-12', 'AB-3']);
    expect(findCaseReferences('SW-12 without brackets')).toEqual([]);
  });

  it("strips only our own prefix's references from the base subject", () => {
    expect(baseSubject('Re: Order [AB-123] [SW-9]', 'SW')).toBe('Order [AB-123]');
    expect(replySubject('Re: Order [AB-123] [SW-9]', 'SW-9')).toBe('Re: Order [AB-123] [SW-9]');
    expect(replySubject('', 'SW-9')).toBe('Re: [SW-9]');
  });
});
