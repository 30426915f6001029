// The acknowledgement of a new case: "we have your message", its reference, and the patron's
// private status link, so they can find the case again. Per team, on unless switched off;
// never an answer to mail no person wrote (the caller decides that: it knows the message).
import type { TxContext } from '../platform/context.js';
import { queueMail, type QueuedMail } from './outbox.js';
import * as q from './queries.js';

export async function acknowledgeNewCase(ctx: TxContext, orgId: number, caseId: number): Promise<QueuedMail | null> {
  const facts = await q.caseAckFacts(ctx.tx, caseId);
  if (!facts?.patron_email || facts.acknowledge_off_at !== null) return null;
  const org = await q.orgForMail(ctx.tx, orgId);
  if (!org) return null;
  const reference = `${org.case_prefix}-${facts.number}`;
  const link = `${ctx.publicUrl}/status/${facts.status_token}`;
  const text = [
    `Hello${facts.patron_name ? ` ${facts.patron_name}` : ''},`,
    '',
    `Thank you for writing to ${org.name}. We have your message; its reference is ${reference}.`,
    'A person will answer it. You can follow your case, and add to it, on its private page:',
    link,
    '',
    'To add something, you can also reply to this email.',
  ].join('\n');
  return queueMail(ctx, {
    orgId,
    kind: 'acknowledgement',
    caseId,
    to: [{ address: facts.patron_email, name: facts.patron_name ?? undefined }],
    cc: [],
    text,
    key: `ack:${caseId}`,
  });
}
