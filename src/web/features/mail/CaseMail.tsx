// What a case shows of its email beside the timeline's text: who wrote from which address and
// when, the quoted history folded, attachments (downloaded as files, size shown), and for each
// reply where its delivery stands, in words that never claim more than happened.
import { Anchor, Badge, Button, Group, List, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { mailApi, type CaseMail, type InboundMail, type OutboundMail } from '../../../contracts/mail.js';
import { call } from '../../api/client.js';
import { keys } from '../../api/queries.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { When } from '../../components/When.js';
import { confirm } from '../../components/confirm.js';
import type { Place } from '../../lib/format.js';

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

/** Under a patron's email: its sender and address, the folded history, its files. */
export function InboundExtras({ mail, place }: { mail: InboundMail; place: Place }) {
  const files = mail.attachments.filter((a) => !a.inline);
  return (
    <Stack gap={4} mt={6}>
      <Text size="xs" c="dimmed">
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
      {mail.quotedText && (
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
