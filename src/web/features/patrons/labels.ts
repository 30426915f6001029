// The words for a patron's needs, channels and value kinds, and money in the org's locale.
import type { ContactChannel, NeedStatus, RelationshipSummary, ValueKind } from '../../../contracts/patrons.js';

export const NEED_LABELS: Record<NeedStatus, string> = { open: 'Open', in_progress: 'In progress', met: 'Met', closed: 'Closed' };
export const VALUE_LABELS: Record<ValueKind, string> = { membership: 'Membership', donation: 'Donation', ticket: 'Tickets', other: 'Other' };
export const CONTACT_CHANNEL_LABELS: Record<ContactChannel, string> = {
  email: 'Email',
  phone: 'Phone',
  sms: 'Text message',
  post: 'Post',
  any: 'Any',
};

export function money(minor: number, currency: string, locale: string): string {
  const f = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const digits = f.resolvedOptions().maximumFractionDigits ?? 2;
  return f.format(minor / 10 ** digits);
}

/** "Donation $75.50 (2) · Membership $120.00" */
export function summaryLine(s: RelationshipSummary, locale: string): string {
  if (!s.records) return 'No records';
  return s.totals.map((t) => `${VALUE_LABELS[t.kind]} ${money(t.amountMinor, t.currency, locale)}${t.count > 1 ? ` (${t.count})` : ''}`).join(' · ');
}
