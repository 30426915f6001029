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
  CaseUpdateBody,
  PRIORITIES,
  STATUSES,
  STATUS_LABELS,
  casesApi,
  type CaseDetail,
  type CaseUpdateBodyInput,
  type Status,
} from '../../../contracts/cases.js';
import { FormErrors, useFormErrors } from '../../components/FormErrors.js';
import { useCaseUpdate } from './useCaseUpdate.js';
import { useSession, useStaff, useTeams } from '../../api/queries.js';
import { TagEditor } from '../../components/TagEditor.js';
import { When } from '../../components/When.js';
import { duration } from '../../lib/format.js';
import { PRIORITY_LABELS } from '../../lib/labels.js';
import { AnchorLink } from '../../components/links.js';
import { CaseBooking } from '../staffing/CaseBooking.js';
import { PatronGlance } from '../patrons/PatronGlance.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { confirm } from '../../components/confirm.js';
import { call } from '../../api/client.js';
import { keys } from '../../api/queries.js';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { KeyboardSelect } from '../../components/KeyboardSelect.js';
import { FormActions } from '../../components/FormActions.js';

interface Props {
  detail: CaseDetail;
  /** Saves a change; settles when the server has answered. */
  update: (body: CaseUpdateBodyInput) => Promise<unknown>;
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
  const tagsForm = useFormErrors(CaseUpdateBody, TAG_LABELS);

  return (
    <Stack gap="md">
      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="details-heading">
        <Title order={2} size="h4" id="details-heading" mb="sm">
          Details
        </Title>
        <Stack gap="sm">
          <Group align="flex-end" gap="xs" wrap="nowrap">
            <KeyboardSelect
              label="Status"
              style={{ flex: 1 }}
              value={detail.status}
              onCommit={(v) => update({ status: v as Status })}
              data={statuses.map((s) => ({ value: s, label: STATUS_LABELS[s] }))}
            />
            {manager && (
              <Button variant="default" onClick={() => setOverriding(true)}>
                Override…
              </Button>
            )}
          </Group>
          <KeyboardSelect
            label="Priority"
            value={detail.priority}
            onCommit={(v) => update({ priority: v as CaseDetail['priority'] })}
            data={PRIORITIES.map((p) => ({ value: p, label: PRIORITY_LABELS[p] }))}
          />
          <KeyboardSelect
            label="Team"
            value={detail.team ? String(detail.team.id) : ''}
            onCommit={(v) => update({ teamId: v ? Number(v) : null })}
            data={[{ value: '', label: 'No team' }, ...teams.map((t) => ({ value: String(t.id), label: t.name }))]}
          />
          <Group align="flex-end" gap="xs" wrap="nowrap">
            <KeyboardSelect
              label="Assignee"
              style={{ flex: 1 }}
              value={detail.assignee ? String(detail.assignee.id) : ''}
              onCommit={(v) => update({ assigneeId: v ? Number(v) : null })}
              data={[{ value: '', label: 'Unassigned' }, ...people.map((u) => ({ value: String(u.id), label: u.name }))]}
            />
            {detail.assignee?.id !== user.id && (
              <Button variant="default" onClick={() => void update({ assigneeId: user.id }).catch(() => undefined)} disabled={pending}>
                Take it
              </Button>
            )}
          </Group>
          <FormErrors form={tagsForm} title="The tags were not saved" />
          <TagEditor
            {...tagsForm.field('tags')}
            tags={detail.tags}
            onChange={(tags) => {
              const body = tagsForm.check({ tags });
              if (body) void update(body).catch(() => undefined);
              return body !== null;
            }}
          />
        </Stack>
      </Paper>

      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="patron-heading">
        <Title order={2} size="h4" id="patron-heading" mb="xs">
          Patron
        </Title>
        {detail.patron ? (
          <>
            <AnchorLink to="/patrons/$id" params={{ id: String(detail.patron.id) }} fw={500}>
              {detail.patron.name}
            </AnchorLink>
            <PatronGlance id={detail.patron.id} />
          </>
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
            {user.role !== 'volunteer' && <ReplaceLinkButton caseRef={detail.ref} />}
          </Group>
        </Paper>
      )}

      <CaseBooking caseRef={detail.ref} teamId={detail.team?.id ?? null} />

      <Modal opened={overriding} onClose={() => setOverriding(false)} title="Override the status rules">
        {/* Mounted only while open, so the choices follow the case's current status. */}
        {overriding && <OverrideForm detail={detail} onClose={() => setOverriding(false)} />}
      </Modal>
    </Stack>
  );
}

/**
 * A new link for the patron; the old one stops working at once (a link sent to the wrong
 * address, or copied by someone who has left). Staff only: volunteers see no links at all.
 */
function ReplaceLinkButton({ caseRef }: { caseRef: string }) {
  const queryClient = useQueryClient();
  const rotate = useMutation({
    mutationFn: () => call(casesApi.rotateStatusLink, { params: { ref: caseRef } }),
    onSuccess: (next) => {
      queryClient.setQueryData(keys.case(caseRef), next);
      notifications.show({ color: 'green', message: 'A new status link replaces the old one. Send it to the patron.' });
    },
  });
  const ask = async () => {
    const sure = await confirm({
      title: 'Replace the status link',
      message: 'The current link stops working at once; anyone holding it loses access. Send the new link to the patron.',
      confirmLabel: 'Replace link',
      danger: true,
    });
    if (sure) rotate.mutate();
  };
  return (
    <>
      <Button size="xs" variant="default" loading={rotate.isPending} onClick={() => void ask()}>
        Replace link
      </Button>
      {rotate.error ? <ErrorAlert error={rotate.error} title="The link was not replaced" /> : null}
    </>
  );
}

function safePath(url: string): string | null {
  try {
    return new URL(url, window.location.origin).pathname;
  } catch {
    return null;
  }
}

const TAG_LABELS = { tags: 'Tags' } as const;
const OVERRIDE_LABELS = { status: 'New status', overrideReason: 'Reason' } as const;

function OverrideForm({ detail, onClose }: { detail: CaseDetail; onClose: () => void }) {
  const choices = STATUSES.filter((s) => s !== detail.status && s !== 'new');
  const [status, setStatus] = useState<Status>(choices[0] ?? 'open');
  const [reason, setReason] = useState('');
  const form = useFormErrors(CaseUpdateBody, OVERRIDE_LABELS);
  const save = useCaseUpdate(detail.ref);
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const body = form.check({ status, overrideReason: reason });
        if (body) save.mutate(body, { onSuccess: onClose, onError: (err) => form.fail(err) });
      }}
    >
      <Stack>
        <Text size="sm">Supervisors may move a case outside the usual steps. The reason is kept in the audit log.</Text>
        <FormErrors form={form} title="The status was not changed" />
        <NativeSelect
          {...form.field('status')}
          label={OVERRIDE_LABELS.status}
          value={status}
          onChange={(e) => setStatus(e.currentTarget.value as Status)}
          data={choices.map((s) => ({ value: s, label: STATUS_LABELS[s] }))}
          data-autofocus
        />
        <Textarea
          {...form.field('overrideReason')}
          label={OVERRIDE_LABELS.overrideReason}
          required
          maxLength={500}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
        />
        <FormActions onCancel={onClose} loading={save.isPending} submitLabel="Override status" />
      </Stack>
    </form>
  );
}
