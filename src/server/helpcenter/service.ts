// The public side: the web form that opens a case, and a patron's private status page where
// they read their own case's conversation (never internal notes or events) and reply.
import type { PublicOrgView, StatusView, WebFormBody } from '../../contracts/helpcenter.js';
import type { OrganizationRow } from '../db/types.js';
import { findOrg, findOrgBySlug, firstOrg } from '../admin/api.js';
import { conversation, findCaseByToken, formatRef, openCase, recordPatronMessage } from '../cases/api.js';
import { acknowledgeNewCase } from '../mail/api.js';
import { patronForEmail } from '../patrons/api.js';
import type { Platform } from '../platform/context.js';
import { notFound } from '../platform/errors.js';
import { inTransaction } from '../platform/tx.js';

const toPublicOrg = (o: OrganizationRow): PublicOrgView => ({
  slug: o.slug,
  name: o.name,
  locale: o.locale,
  timeZone: o.time_zone,
});

export async function publicOrg(p: Platform, slug: string | undefined): Promise<PublicOrgView> {
  const org = slug ? await findOrgBySlug(p.db, slug) : await firstOrg(p.db);
  if (!org) throw notFound('Organization');
  return toPublicOrg(org);
}

export type WebFormOutcome = { kind: 'created'; reference: string; statusUrl: string } | { kind: 'discarded' };

export async function submitWebForm(p: Platform, slug: string, input: WebFormBody): Promise<WebFormOutcome> {
  // A filled honeypot is a bot: answer as if accepted, store nothing.
  if (input.website && input.website.trim() !== '') return { kind: 'discarded' };
  return inTransaction(p, async (ctx) => {
    const org = await findOrgBySlug(ctx.tx, slug);
    if (!org) throw notFound('Organization');
    const patron = await patronForEmail(ctx, org.id, { name: input.name, email: input.email, phone: input.phone });
    const row = await openCase(ctx, {
      orgId: org.id,
      channel: 'web',
      patronId: patron.id,
      subject: input.subject,
      body: input.message,
      direction: 'in',
      status: 'new',
      priority: 'normal',
      teamId: org.default_team_id,
      assigneeId: null,
      tags: [],
      createdBy: null,
    });
    // "We have your message", with the reference and this status link (unless the team turned it off).
    await acknowledgeNewCase(ctx, org.id, row.id);
    return {
      kind: 'created',
      reference: formatRef(org.case_prefix, row.number),
      statusUrl: `${ctx.publicUrl}/status/${row.status_token}`,
    };
  });
}

export async function caseStatus(p: Platform, token: string): Promise<StatusView> {
  const row = await findCaseByToken(p.db, token);
  const org = row && (await findOrg(p.db, row.org_id));
  if (!row || !org) throw notFound('Case');
  // Only the conversation: messages in and out. Internal notes and events stay inside.
  const entries = await conversation(p.db, row.id, 200);
  return {
    reference: formatRef(org.case_prefix, row.number),
    subject: row.subject,
    status: row.status,
    createdAt: row.created_at,
    organization: toPublicOrg(org),
    entries: entries.reverse().map((e) => ({
      id: e.id,
      from: e.kind === 'message_in' ? ('you' as const) : ('staff' as const),
      // Staff sign with their first name only.
      authorName: e.kind === 'message_in' ? 'You' : (e.user_name?.split(' ')[0] ?? org.name),
      body: e.body,
      createdAt: e.created_at,
    })),
  };
}

export async function replyOnStatusPage(p: Platform, token: string, message: string): Promise<StatusView> {
  await inTransaction(p, async (ctx) => {
    const row = await findCaseByToken(ctx.tx, token, ctx.lockRows);
    const org = row && (await findOrg(ctx.tx, row.org_id));
    if (!row || !org) throw notFound('Case');
    await recordPatronMessage(ctx, row, { body: message, channel: 'web', loggedBy: null }, org.case_prefix);
  });
  return caseStatus(p, token);
}
