// A case's timeline, oldest first: patron messages, our replies, internal notes (yellow,
// labelled), and events as compact lines. "Show earlier" pages back by entry id.
import { useState } from 'react';
import { Badge, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import {
  CHANNEL_LABELS,
  ROAD_LABELS,
  STATUS_LABELS,
  casesApi,
  type CaseDetail,
  type Channel,
  type EntriesPage,
  type EntryView,
  type Status,
} from '../../../contracts/cases.js';
import { call } from '../../api/client.js';
import { ROAD_MEANINGS } from '../../components/RoadSelect.js';
import { useSession } from '../../api/queries.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { When } from '../../components/When.js';
import type { Place } from '../../lib/format.js';
import { PRIORITY_LABELS } from '../../lib/labels.js';
import type { InboundMail, OutboundMail } from '../../../contracts/mail.js';
import { CaseMailSummary, InboundMessage, OutboundExtras, useCaseMail } from '../mail/CaseMail.js';

export function Timeline({ detail }: { detail: CaseDetail }) {
  const { org } = useSession();
  const [earlier, setEarlier] = useState<EntriesPage | null>(null);
  const more = useMutation({
    mutationFn: (before: number) => call(casesApi.earlierEntries, { params: { ref: detail.ref }, query: { before, limit: 50 } }),
    onSuccess: (page) =>
      setEarlier((prev) => ({ entries: [...page.entries, ...(prev?.entries ?? [])], earlierEntries: page.earlierEntries })),
  });

  // The latest page comes with the case and refreshes with it; earlier pages are kept here.
  const seen = new Set(detail.entries.map((e) => e.id));
  const entries = [...(earlier?.entries.filter((e) => !seen.has(e.id)) ?? []), ...detail.entries];
  const hasEarlier = earlier ? earlier.earlierEntries : detail.earlierEntries;
  const mail = useCaseMail(detail.ref);
  const inboundOf = new Map(mail.data?.inbound.filter((m) => m.entryId !== null).map((m) => [m.entryId!, m]));
  const outboundOf = new Map(mail.data?.outbound.filter((m) => m.entryId !== null).map((m) => [m.entryId!, m]));

  return (
    <Stack gap="sm">
      {hasEarlier && (
        <Button
          variant="default"
          size="xs"
          w="fit-content"
          loading={more.isPending}
          onClick={() => entries[0] && more.mutate(entries[0].id)}
        >
          Show earlier
        </Button>
      )}
      <ErrorAlert error={more.error} title="Could not load earlier entries" />
      <Stack gap="sm" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {entries.map((e) => (
          <li key={e.id}>{e.kind === 'event' ? <EventLine entry={e} place={org} /> : <Message entry={e} place={org} caseRef={detail.ref} inbound={inboundOf.get(e.id)} outbound={outboundOf.get(e.id)} />}</li>
        ))}
      </Stack>
      {mail.data && <CaseMailSummary ref_={detail.ref} mail={mail.data} place={org} />}
    </Stack>
  );
}

const KIND = {
  message_in: { label: 'From the patron', className: 'entry-in' },
  message_out: { label: 'Reply', className: 'entry-out' },
  note: { label: 'Internal note', className: 'entry-note' },
} as const;

function Message({ entry, place, caseRef, inbound, outbound }: { entry: EntryView; place: Place; caseRef: string; inbound?: InboundMail | undefined; outbound?: OutboundMail | undefined }) {
  const kind = KIND[entry.kind as keyof typeof KIND];
  return (
    <Paper p="sm" radius="md" className={kind.className} aria-label={`${kind.label} from ${entry.author?.name ?? 'unknown'}`}>
      <Group justify="space-between" gap="xs" mb={6} wrap="wrap">
        <Group gap="xs">
          <Text fw={600} size="sm">
            {entry.author?.name ?? (entry.kind === 'message_in' ? 'Patron' : 'Servewell')}
          </Text>
          <Badge size="sm" variant={entry.kind === 'note' ? 'filled' : 'light'} color={entry.kind === 'note' ? 'yellow' : 'gray'} c="dark" tt="none">
            {kind.label}
          </Badge>
          {entry.channel && entry.kind !== 'note' && (
            <Text size="xs" c="dimmed">
              via {CHANNEL_LABELS[entry.channel]}
            </Text>
          )}
          {entry.road && (
            // teal.9 on white: over 7:1 (teal at the default shade was 3.55:1).
            <Badge size="sm" variant="outline" color="teal.9" tt="none" className="road-badge" title={ROAD_MEANINGS[entry.road]}>
              {ROAD_LABELS[entry.road]}
            </Badge>
          )}
        </Group>
        <Text size="xs" c="dimmed">
          <When ms={entry.createdAt} place={place} relative={false} />
        </Text>
      </Group>
      {inbound ? (
        <InboundMessage ref_={caseRef} mail={inbound} text={entry.body} place={place} />
      ) : (
        <Text size="sm" className="pre-wrap">
          {entry.body}
        </Text>
      )}
      {outbound && <OutboundExtras mail={outbound} />}
    </Paper>
  );
}

function EventLine({ entry, place }: { entry: EntryView; place: Place }) {
  return (
    <Group gap="xs" px="sm" wrap="wrap">
      <Text size="sm" c="dimmed">
        {describeEvent(entry)}
      </Text>
      <Text size="xs" c="dimmed">
        · <When ms={entry.createdAt} place={place} relative={false} />
      </Text>
    </Group>
  );
}

type Named = { id: number; name: string } | null | undefined;
const nameOf = (v: unknown) => (v && typeof v === 'object' && 'name' in v ? (v as NonNullable<Named>).name : null);
const statusWord = (v: unknown) => STATUS_LABELS[v as Status] ?? String(v);
const priorityWord = (v: unknown) => PRIORITY_LABELS[v as keyof typeof PRIORITY_LABELS] ?? String(v);

/** "Sam Okafor changed status from Open to Resolved", in the product's words. */
export function describeEvent(e: EntryView): string {
  const who = e.author?.name ?? 'Servewell';
  const d = e.eventData ?? {};
  switch (e.eventType) {
    case 'created': {
      const ch = CHANNEL_LABELS[d.channel as Channel] ?? CHANNEL_LABELS[e.channel ?? 'web'];
      return e.author ? `Case created via ${ch} by ${who}` : `Case created via ${ch}`;
    }
    case 'status': {
      const move = `status from ${statusWord(d.from)} to ${statusWord(d.to)}`;
      if (d.reason === 'patron_message') return `The patron wrote again: ${move}`;
      const override = typeof d.override === 'string' ? ` (override: ${d.override})` : '';
      return `${who} changed ${move}${override}`;
    }
    case 'priority':
      return `${who} changed priority from ${priorityWord(d.from)} to ${priorityWord(d.to)}`;
    case 'assignment': {
      const to = nameOf(d.to);
      return to ? `Assigned to ${to} by ${who}` : `${who} unassigned the case`;
    }
    case 'team': {
      const to = nameOf(d.to);
      return to ? `${who} moved the case to team ${to}` : `${who} removed the team`;
    }
    case 'tags': {
      const added = Array.isArray(d.added) ? (d.added as string[]) : [];
      const removed = Array.isArray(d.removed) ? (d.removed as string[]) : [];
      const parts = [
        added.length ? `added tag${added.length > 1 ? 's' : ''} ${added.join(', ')}` : '',
        removed.length ? `removed tag${removed.length > 1 ? 's' : ''} ${removed.join(', ')}` : '',
      ].filter(Boolean);
      return `${who} ${parts.join(' and ')}`;
    }
    case 'subject':
      return `${who} changed the subject to “${String(d.to)}”`;
    default:
      return `${who}: ${e.eventType ?? 'event'}`;
  }
}
