// Every zod schema in the contracts exports its output type (`X`) and its input type
// (`XInput`), so that server and web name a shape the same way and never write it twice.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';

const dir = path.resolve('src/contracts');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));

describe('the contracts', () => {
  it.each(files)('%s exports the output and input type of every schema', async (file) => {
    const source = fs.readFileSync(path.join(dir, file), 'utf8');
    const mod = (await import(path.join(dir, file))) as Record<string, unknown>;
    const schemas = Object.entries(mod)
      .filter(([name, v]) => /^[A-Z]/.test(name) && v instanceof z.ZodType)
      .map(([name]) => name);
    const missing = schemas.flatMap((name) => [
      ...(new RegExp(`export type ${name}\\b`).test(source) ? [] : [name]),
      ...(new RegExp(`export type ${name}Input\\b`).test(source) ? [] : [`${name}Input`]),
    ]);
    expect(missing).toEqual([]);
  });
});

describe('the public forms’ zod-free rules', () => {
  const long = (n: number) => 'x'.repeat(n);
  /** The first issue zod finds on each field, as the form shows it. */
  const zodIssues = (schema: z.ZodType, input: unknown) => {
    const seen = new Set<string>();
    return (schema.safeParse(input).error?.issues ?? []).flatMap((i) => {
      const field = i.path.map(String).join('.');
      if (seen.has(field)) return [];
      seen.add(field);
      return [{ path: i.path.map(String), message: i.message }];
    });
  };
  const web = { name: 'Carla Chen', email: 'carla@example.org', phone: '', subject: 'Seats', message: 'Hello', website: '' };
  const webCases: Array<Record<string, unknown>> = [
    web,
    { ...web, name: '', email: '', subject: ' ', message: '\n' },
    { ...web, email: 'not an email' },
    { ...web, email: 'carla@' },
    { ...web, email: ' Carla.Chen@Example.ORG ' },
    { ...web, email: `${long(250)}@example.org` },
    { ...web, email: "o'neil+seats@mail.example.co.uk" },
    { ...web, email: 'a..b@example.org' },
    { ...web, email: '.a@example.org' },
    { ...web, email: 'a@example.c' },
    { ...web, name: long(121), phone: long(41), subject: long(201), message: long(10001) },
    { ...web, name: `  ${long(120)}  `, phone: `  ${long(40)} ` },
    { ...web, phone: undefined, website: undefined },
    { ...web, website: long(501) },
    { ...web, name: undefined, email: 7 },
  ];

  it('finds in the web form what the server’s schema finds, in the same words', async () => {
    const { WebFormBody, StatusReplyBody } = await import('./helpcenter.js');
    const { WEB_FORM, STATUS_REPLY, issuesOf } = await import('./form-rules.js');
    for (const input of webCases) {
      expect(issuesOf(WEB_FORM, input as never), JSON.stringify(input)).toEqual(zodIssues(WebFormBody, input));
    }
    for (const message of ['', ' ', 'Thanks', long(10000), long(10001)]) {
      expect(issuesOf(STATUS_REPLY, { message })).toEqual(zodIssues(StatusReplyBody, { message }));
    }
    expect(zodIssues(WebFormBody, webCases[1]).length).toBe(4);
  });

  it('finds in a callback booking what the server’s schema finds, in the same words', async () => {
    const { PublicBookingBody } = await import('./staffing.js');
    const { BOOKING_FORM, issuesOf } = await import('./form-rules.js');
    const book = { slotId: 4, name: 'Carla Chen', email: 'carla@example.org', phone: '', message: 'Seats', website: '' };
    const cases: Array<Record<string, unknown>> = [
      book,
      { ...book, slotId: 0, name: '', email: '', message: '' },
      { ...book, slotId: -1.5 },
      { ...book, slotId: 1.5 },
      { ...book, slotId: Number.NaN },
      { ...book, slotId: '4' },
      { ...book, slotId: 2_147_483_648 },
      { ...book, message: long(2001), phone: long(41) },
    ];
    for (const input of cases) {
      expect(issuesOf(BOOKING_FORM, input as never), JSON.stringify(input)).toEqual(zodIssues(PublicBookingBody, input));
    }
  });

  it('checks email with zod’s own pattern', async () => {
    const { EMAIL_PATTERN } = await import('./form-rules.js');
    expect(EMAIL_PATTERN.source).toBe(z.regexes.email.source);
  });
});
