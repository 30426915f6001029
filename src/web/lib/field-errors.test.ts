// The web app words a bad field exactly as the server does: the same body, checked in the
// browser with the contract's schema and sent to the real server, gives one message.
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { TeamBody, UserCreateBody } from '../../contracts/admin.js';
import { LoginBody } from '../../contracts/auth.js';
import { CaseCreateBody, CaseUpdateBody } from '../../contracts/cases.js';
import { WebFormBody } from '../../contracts/helpcenter.js';
import { QueueFilters } from '../../contracts/cases.js';
import { Client } from '../../server/testing/client.js';
import { logCall, makeOrg } from '../../server/testing/factories.js';
import { describeEachDialect } from '../../server/testing/harness.js';
import { fromIssues, labelledField, wordFor } from './field-errors.js';
import { parseEach } from './search-params.js';

interface Case {
  what: string;
  schema: z.ZodType;
  labels: Record<string, string>;
  body: Record<string, unknown>;
  send: (org: Awaited<ReturnType<typeof makeOrg>>) => Promise<{ statusCode: number; json(): unknown }>;
}

describeEachDialect('field errors, in the browser and from the server', (h) => {
  const cases: Case[] = [
    {
      what: 'an empty contact form',
      schema: WebFormBody,
      labels: { name: 'Your name', email: 'Email', phone: 'Phone', subject: 'Subject', message: 'Your message' },
      body: { name: '', email: 'nope', phone: '', subject: '', message: '' },
      send: async (org) => new Client(h().app, '203.0.113.77').post(`/api/public/orgs/${org.slug}/cases`, cases[0]!.body),
    },
    {
      what: 'a new patron with a bad email in the quick log',
      schema: CaseCreateBody,
      labels: { 'patron.name': 'Name', 'patron.email': 'Email', subject: 'Subject', body: 'What happened' },
      body: { channel: 'phone', patron: { name: 'Zed Newman', email: 'zed@', phone: '' }, subject: 'Seats', body: 'Called.' },
      send: async (org) => (await org.as('associate')).post('/api/cases', cases[1]!.body),
    },
    {
      what: 'a subject over its limit',
      schema: CaseCreateBody,
      labels: { subject: 'Subject', body: 'What happened' },
      body: { channel: 'internal', subject: 'x'.repeat(201), body: 'Called.' },
      send: async (org) => (await org.as('associate')).post('/api/cases', cases[2]!.body),
    },
    {
      what: 'a tag with a character tags may not hold',
      schema: CaseUpdateBody,
      labels: { tags: 'Tags' },
      body: { tags: ['vip', 'bad!tag'] },
      send: async (org) => {
        const associate = await org.as('associate');
        const { ref } = await logCall(associate);
        return associate.patch(`/api/cases/${ref}`, cases[3]!.body);
      },
    },
    {
      what: 'a short password for a new user',
      schema: UserCreateBody,
      labels: { name: 'Name', email: 'Email', password: 'Password' },
      body: { name: 'Lee', email: 'lee@example.org', role: 'associate', password: 'short' },
      send: async (org) => (await org.as('admin')).post('/api/admin/users', cases[4]!.body),
    },
    {
      what: 'a team without a name at all',
      schema: TeamBody,
      labels: { name: 'Team name' },
      body: {},
      send: async (org) => (await org.as('admin')).post('/api/admin/teams', cases[5]!.body),
    },
    {
      what: 'an empty sign-in',
      schema: LoginBody,
      labels: { email: 'Email', password: 'Password' },
      body: { email: '', password: '' },
      send: async () => new Client(h().app, '203.0.113.78').post('/api/auth/login', cases[6]!.body),
    },
  ];

  for (const c of cases) {
    it(`says the same of ${c.what}`, async () => {
      const org = await makeOrg(h());
      const res = await c.send(org);
      expect(res.statusCode).toBe(400);
      const { field, message } = (res.json() as { error: { field: string; message: string } }).error;

      const parsed = c.schema.safeParse(c.body);
      expect(parsed.success).toBe(false);
      const web = fromIssues(parsed.error!.issues, c.labels);
      const shown = labelledField(field, c.labels);
      expect(shown).toBeDefined();
      // The server names the first issue; the browser shows that one, worded the same, and the rest.
      expect(web.fields[shown!]).toBe(wordFor(field, message, c.labels[shown!]!));
      expect(web.form).toEqual([]);
    });
  }
});

describe('field wording', () => {
  it('puts the label before a lowercase detail and keeps a sentence as it is', () => {
    expect(wordFor('email', 'email must be a valid email address', 'Email')).toBe('Email must be a valid email address');
    expect(wordFor('phone', 'phone Too big: expected string to have <=40 characters', 'Phone')).toBe(
      'Too big: expected string to have <=40 characters',
    );
    expect(wordFor('currentPassword', 'currentPassword is not your current password', 'Current password')).toBe(
      'That is not your current password',
    );
    expect(wordFor('patronId', 'patronId is required: pick a patron or add a new one', 'Patron')).toBe(
      'Patron is required: pick a patron or add a new one',
    );
  });

  it('puts an issue inside a list on the list, and an unlabelled one on the form', () => {
    const errors = fromIssues(
      [
        { path: ['tags', 1], message: 'may hold letters, digits, spaces, - and _' },
        { path: ['secret'], message: 'Invalid input: expected string, received undefined' },
        { path: [], message: 'nothing to change' },
      ],
      { tags: 'Tags' },
    );
    expect(errors.fields).toEqual({ tags: 'Tags may hold letters, digits, spaces, - and _' });
    expect(errors.form).toEqual(['secret expected string, received undefined', 'nothing to change']);
  });
});

describe('filters in the address bar', () => {
  it('keeps the keys that parse and drops the others', () => {
    const raw = { status: 'open', priority: 'loud', teamId: '7', assigneeId: 'none', tag: 2024, sort: 'age', extra: 'x' };
    expect(parseEach(QueueFilters, raw)).toEqual({ status: 'open', teamId: 7, assigneeId: 'none', tag: '2024', sort: 'age' });
  });
});
