// The side panel of a case: status (with a supervisor override), priority, team, assignee,
// tags, the patron, the channel and the service times, and the patron's status link.
import { Term } from '../../components/Term.js';
import { useState } from 'react';
import {
  Anchor,
  Button,
  CopyButton,
  Group,
  Modal,
  NativeSelect,
  Paper,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import {
  CHANNEL_LABELS,
  PRIORITIES,
  STATUSES,
  STATUS_LABELS,
  type CaseDetail,
  type CaseUpdateBody,
  type Status,
} from '../../../contracts/cases.js';
import { useSession, useStaff, useTeams } from '../../api/queries.js';
import { TagEditor } from '../../components/TagEditor.js';
import { When } from '../../components/When.js';
import { duration } from '../../lib/format.js';
import { PRIORITY_LABELS } from '../../lib/labels.js';
import { AnchorLink } from '../../components/links.js';

interface Props {
  detail: CaseDetail;
  update: (body: CaseUpdateBody) => void;
  pending: boolean;
}

export function CaseSidePanel({ detail, update, pending }: Props) {
  const { user, org } = useSession();
  const teams = useTeams();
  const staff = useStaff();
  const manager = user.role === 'admin' || user.role === 'supervisor';
  const [overriding, setOverriding] = useState(false);
  const statuses = [detail.status, ...detail.allowedStatuses.filter((s) => s !== detail.status)];
  // Keep a deactivated assignee visible rather than showing a wrong name.
  const people = staff.filter((u) => u.active || u.id === detail.assignee?.id);
  const statusPath = detail.statusUrl ? safePath(detail.statusUrl) : null;

  return (
    <Stack gap="md">
      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="details-heading">
        <Title order={2} size="h4" id="details-heading" mb="sm">
          Details
        </Title>
        <Stack gap="sm">
          <Group align="flex-end" gap="xs" wrap="nowrap">
            <NativeSelect
              label="Status"
              style={{ flex: 1 }}
              value={detail.status}
              disabled={pending}
              onChange={(e) => update({ status: e.currentTarget.value as Status })}
              data={statuses.map((s) => ({ value: s, label: STATUS_LABELS[s] }))}
            />
            {manager && (
              <Button variant="default" onClick={() => setOverriding(true)}>
                Override…
              </Button>
            )}
          </Group>
          <NativeSelect
            label="Priority"
            value={detail.priority}
            disabled={pending}
            onChange={(e) => update({ priority: e.currentTarget.value as CaseDetail['priority'] })}
            data={PRIORITIES.map((p) => ({ value: p, label: PRIORITY_LABELS[p] }))}
          />
          <NativeSelect
            label="Team"
            value={detail.team ? String(detail.team.id) : ''}
            disabled={pending}
            onChange={(e) => update({ teamId: e.currentTarget.value ? Number(e.currentTarget.value) : null })}
            data={[{ value: '', label: 'No team' }, ...teams.map((t) => ({ value: String(t.id), label: t.name }))]}
          />
          <Group align="flex-end" gap="xs" wrap="nowrap">
            <NativeSelect
              label="Assignee"
              style={{ flex: 1 }}
              value={detail.assignee ? String(detail.assignee.id) : ''}
              disabled={pending}
              onChange={(e) =>
                update({ assigneeId: e.currentTarget.value ? Number(e.currentTarget.value) : null })
              }
              data={[{ value: '', label: 'Unassigned' }, ...people.map((u) => ({ value: String(u.id), label: u.name }))]}
            />
            {detail.assignee?.id !== user.id && (
              <Button variant="default" onClick={() => update({ assigneeId: user.id })} disabled={pending}>
                Take it
              </Button>
            )}
          </Group>
          <TagEditor
            tags={detail.tags}
            onChange={(tags) => update({ tags })}
          />
        </Stack>
      </Paper>

      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="patron-heading">
        <Title order={2} size="h4" id="patron-heading" mb="xs">
          Patron
        </Title>
        {detail.patron ? (
          <AnchorLink to="/patrons/$id" params={{ id: String(detail.patron.id) }} fw={500}>
            {detail.patron.name}
          </AnchorLink>
        ) : (
          <Text size="sm">No patron (internal request)</Text>
        )}
        <dl style={{ margin: '12px 0 0', display: 'grid', gridTemplateColumns: 'auto 1fr', gap: '4px 12px' }}>
          <Term label="Channel">{CHANNEL_LABELS[detail.channel]}</Term>
          <Term label="Created">
            <When ms={detail.createdAt} place={org} relative={false} />
            {detail.createdBy && ` by ${detail.createdBy.name}`}
          </Term>
          <Term label="First response">
            {detail.firstResponseAt !== null ? (
              <>
                <When ms={detail.firstResponseAt} place={org} relative={false} />
                {detail.firstResponseMs !== null && ` (after ${duration(detail.firstResponseMs)})`}
              </>
            ) : (
              'Not yet'
            )}
          </Term>
          <Term label="Resolution">
            {detail.resolvedAt !== null ? (
              <>
                <When ms={detail.resolvedAt} place={org} relative={false} />
                {detail.resolutionMs !== null && ` (after ${duration(detail.resolutionMs)})`}
              </>
            ) : (
              'Not resolved'
            )}
          </Term>
        </dl>
      </Paper>

      {detail.patron && detail.statusUrl && (
        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="status-link-heading">
          <Title order={2} size="h4" id="status-link-heading" mb="xs">
            Patron status link
          </Title>
          <Text size="sm" mb="xs">
            The patron follows the case and replies here. Share it only with them.
          </Text>
          <TextInput
            label="Link for the patron"
            readOnly
            value={detail.statusUrl}
            onFocus={(e) => e.currentTarget.select()}
          />
          <Group mt="xs" gap="xs">
            <CopyButton value={detail.statusUrl}>
              {({ copied, copy }) => (
                <Button size="xs" variant={copied ? 'filled' : 'default'} color={copied ? 'teal' : undefined} onClick={copy}>
                  {copied ? 'Copied' : 'Copy link'}
                </Button>
              )}
            </CopyButton>
            {statusPath && (
              <Anchor href={statusPath} target="_blank" rel="noopener" size="sm">
                Open status page
              </Anchor>
            )}
          </Group>
        </Paper>
      )}

      <OverrideModal
        opened={overriding}
        current={detail.status}
        onClose={() => setOverriding(false)}
        onSubmit={(status, overrideReason) => {
          update({ status, overrideReason });
          setOverriding(false);
        }}
      />
    </Stack>
  );
}

function safePath(url: string): string | null {
  try {
    return new URL(url, window.location.origin).pathname;
  } catch {
    return null;
  }
}

function OverrideModal(props: {
  opened: boolean;
  current: Status;
  onClose: () => void;
  onSubmit: (status: Status, reason: string) => void;
}) {
  return (
    <Modal opened={props.opened} onClose={props.onClose} title="Override the status rules">
      {/* Mounted only while open, so the choices follow the case's current status. */}
      {props.opened && <OverrideForm {...props} />}
    </Modal>
  );
}

function OverrideForm(props: { current: Status; onClose: () => void; onSubmit: (status: Status, reason: string) => void }) {
  const choices = STATUSES.filter((s) => s !== props.current && s !== 'new');
  const [status, setStatus] = useState<Status>(choices[0] ?? 'open');
  const [reason, setReason] = useState('');
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (reason.trim()) props.onSubmit(status, reason.trim());
      }}
    >
      <Stack>
        <Text size="sm">Supervisors may move a case outside the usual steps. The reason is kept in the audit log.</Text>
        <NativeSelect
          label="New status"
          value={status}
          onChange={(e) => setStatus(e.currentTarget.value as Status)}
          data={choices.map((s) => ({ value: s, label: STATUS_LABELS[s] }))}
          data-autofocus
        />
        <Textarea label="Reason" required value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            Cancel
          </Button>
          <Button type="submit">Override status</Button>
        </Group>
      </Stack>
    </form>
  );
}
