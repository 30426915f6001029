// What a case shows of its email: a patron's message formatted (in a sandboxed frame) or as
// text, who wrote from which address and when, the quoted history folded, attachments
// (downloaded as files, size shown), and for each reply where its delivery stands, in words
// that never claim more than happened.
import { useState } from 'react';
import { Anchor, Badge, Button, Group, List, SegmentedControl, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { mailApi, type CaseMail, type InboundMail, type OutboundMail } from '../../../contracts/mail.js';
import { call } from '../../api/client.js';
import { keys } from '../../api/queries.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { When } from '../../components/When.js';
import { confirm } from '../../components/confirm.js';
import type { Place } from '../../lib/format.js';
import { MailFrame } from './MailFrame.js';

export const caseMailKey = (ref: string) => [...keys.case(ref), 'mail'] as const;

/** The case's mail; refetched with the case (its key sits under the case's key). */
export function useCaseMail(ref: string) {
  return useQuery({ queryKey: caseMailKey(ref), queryFn: () => call(mailApi.caseMail, { params: { ref } }) });
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${Math.round(n / 102.4) / 10} KB`;
  return `${Math.round(n / (1024 * 102.4)) / 10} MB`;
}

const AUTOMATIC = { auto_reply: 'Automatic reply', bounce: 'Delivery failure', bulk: 'Bulk or list mail' } as const;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * A patron's email: what they wrote, formatted as sent (where it has HTML; "Plain text" beside
 * it) or as text, then sender and address, the folded history, the files. Remote images stay
 * out until the person asks for them, since loading them tells the sender the mail was read.
 */
export function InboundMessage({ ref_, mail, text, place }: { ref_: string; mail: InboundMail; text: string; place: Place }) {
  const [view, setView] = useState<'html' | 'text'>(mail.html ? 'html' : 'text');
  const [wantImages, setWantImages] = useState(false);
  const withImages = useQuery({
    // Not under the case's key: a change to the case need not parse the message again.
    queryKey: ['mail', 'message-html', ref_, mail.id, 'images'],
    queryFn: () => call(mailApi.messageHtml, { params: { ref: ref_, id: mail.id }, query: { images: '1' } }),
    enabled: wantImages,
    staleTime: Infinity,
  });
  const files = mail.attachments.filter((a) => !a.inline);
  const sender = mail.from ? mail.from.name || mail.from.address : 'an unknown sender';
  const html = withImages.data ?? mail.html;
  const remoteImages = Boolean(withImages.data?.remoteImages);
  const formatted = view === 'html' && html !== null;
  return (
    <Stack gap={4}>
      {mail.html && (
        <SegmentedControl
          size="xs"
          w="fit-content"
          aria-label="Show the email as"
          value={view}
          onChange={(v) => setView(v as 'html' | 'text')}
          data={[
            { value: 'html', label: 'Formatted' },
            { value: 'text', label: 'Plain text' },
          ]}
        />
      )}
      {formatted ? (
        <MailFrame html={html.newPart} title={`Email from ${sender}`} remoteImages={remoteImages} />
      ) : (
        <Text size="sm" className="pre-wrap">
          {text}
        </Text>
      )}
      {formatted && mail.blockedRemoteImages > 0 && (
        <Group gap="xs" wrap="wrap">
          <Text size="xs" c="dimmed" role="status">
            {remoteImages
              ? `${plural(mail.blockedRemoteImages, 'remote image', 'remote images')} shown`
              : `${plural(mail.blockedRemoteImages, 'remote image', 'remote images')} blocked (loading them tells the sender the email was opened)`}
          </Text>
          {!remoteImages && (
            <Button size="xs" variant="default" loading={withImages.isFetching} onClick={() => setWantImages(true)}>
              Show images
            </Button>
          )}
        </Group>
      )}
      <ErrorAlert error={withImages.error} title="Could not show the images" />
      <Text size="xs" c="dimmed" mt={2}>
        {mail.from ? `${mail.from.name ? `${mail.from.name} ` : ''}<${mail.from.address}>` : 'No sender'}
        {mail.cc.length > 0 && ` · Cc ${mail.cc.map((c) => c.address).join(', ')}`}
        {mail.sentAt !== null && (
          <>
            {' · sent '}
            <When ms={mail.sentAt} place={place} relative={false} />
          </>
        )}
      </Text>
      {mail.automatic && (
        <Badge size="sm" color="gray" variant="outline" tt="none" w="fit-content">
          {AUTOMATIC[mail.automatic]}: never answered automatically
        </Badge>
      )}
      {mail.unparseable && (
        <Text size="xs" c="red.8">
          Could not be read in full: {mail.unparseable}
        </Text>
      )}
      {formatted && html.quoted ? (
        <QuotedHtml html={html.quoted} title={`Quoted history of the email from ${sender}`} remoteImages={remoteImages} />
      ) : (
        mail.quotedText && (
          <details>
            <summary>
              <Text span size="xs">
                Show the quoted history
              </Text>
            </summary>
            <Text size="xs" c="dimmed" className="pre-wrap" mt={4}>
              {mail.quotedText}
            </Text>
          </details>
        )
      )}
      {files.length > 0 && (
        <List size="sm" aria-label="Attachments" spacing={2}>
          {files.map((a) => (
            <List.Item key={a.id}>
              <Anchor href={a.url} download={a.filename}>
                {a.filename}
              </Anchor>{' '}
              <Text span size="xs" c="dimmed">
                ({formatBytes(a.size)}, {a.contentType})
              </Text>
            </List.Item>
          ))}
        </List>
      )}
    </Stack>
  );
}

/** The quoted history, formatted: folded, its frame made only once it is opened. */
function QuotedHtml({ html, title, remoteImages }: { html: string; title: string; remoteImages: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <details onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        <Text span size="xs">
          Show the quoted history
        </Text>
      </summary>
      {open && (
        <div style={{ marginTop: 4 }}>
          <MailFrame html={html} title={title} remoteImages={remoteImages} />
        </div>
      )}
    </details>
  );
}

const STATE_COLOR: Record<OutboundMail['state'], string> = {
  queued: 'gray',
  sending: 'gray',
  retrying: 'orange',
  held: 'orange',
  sent: 'green',
  failed: 'red',
};

/** Under a reply: to whom it went and where its delivery stands. */
export function OutboundExtras({ mail }: { mail: OutboundMail }) {
  return (
    <Group gap="xs" mt={6} wrap="wrap">
      <Badge size="sm" color={STATE_COLOR[mail.state]} variant="light" tt="none" data-delivery={mail.state}>
        {mail.stateText}
      </Badge>
      <Text size="xs" c="dimmed">
        Email to {[...mail.to, ...mail.cc].map((r) => r.address).join(', ')}
      </Text>
    </Group>
  );
}

/** Mail with no timeline entry of its own (the acknowledgement), and the people copied. */
export function CaseMailSummary({ ref_, mail, place }: { ref_: string; mail: CaseMail; place: Place }) {
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: (id: number) => call(mailApi.removeParticipant, { params: { ref: ref_, id } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: caseMailKey(ref_) }),
  });
  const automatic = mail.outbound.filter((o) => o.entryId === null);
  const copied = mail.participants.filter((x) => x.removedAt === null);
  if (!automatic.length && !copied.length) return null;
  return (
    <Stack gap={6}>
      {automatic.map((o) => (
        <Group key={o.id} gap="xs" wrap="wrap">
          <Text size="sm">
            {o.kind === 'acknowledgement' ? 'Acknowledgement emailed automatically' : 'Email'} ·{' '}
            <When ms={o.createdAt} place={place} relative={false} />
          </Text>
          <OutboundExtras mail={o} />
        </Group>
      ))}
      {copied.length > 0 && (
        <Stack gap={2}>
          <Text size="sm" fw={500}>
            Copied on replies
          </Text>
          {copied.map((x) => (
            <Group key={x.id} gap="xs">
              <Text size="sm">{x.name ? `${x.name} <${x.address}>` : x.address}</Text>
              <Button
                size="compact-xs"
                variant="subtle"
                color="red"
                aria-label={`Stop copying ${x.address}`}
                onClick={async () => {
                  const ok = await confirm({ title: 'Stop copying?', message: `${x.address} will no longer be copied on this case’s replies.`, confirmLabel: 'Stop copying', danger: true });
                  if (ok) remove.mutate(x.id);
                }}
              >
                Remove
              </Button>
            </Group>
          ))}
        </Stack>
      )}
      <ErrorAlert error={remove.error} title="Could not remove" />
    </Stack>
  );
}
