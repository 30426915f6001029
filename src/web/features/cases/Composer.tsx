// Reply to the patron or add an internal note; optionally mark the road and set the status in
// the same step. Ctrl/Cmd+Enter sends.
import type { RefObject } from 'react';
import { Button, Group, NativeSelect, Paper, SegmentedControl, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  EntryCreateBody,
  STATUS_LABELS,
  casesApi,
  type CaseDetail,
  type EntryCreateBodyInput,
  type Road,
  type Status,
} from '../../../contracts/cases.js';
import { call } from '../../api/client.js';
import { keys } from '../../api/queries.js';
import { FormErrors, useFormErrors } from '../../components/FormErrors.js';
import { RoadSelect } from '../../components/RoadSelect.js';

/** What staff write here (a patron's own message comes in by the status page or email). */
export type ComposerMode = Exclude<EntryCreateBodyInput['kind'], 'patron_message'>;

export interface Draft {
  mode: ComposerMode;
  body: string;
  road: Road | '';
  status: Status | '';
}

const LABELS = { body: 'Message', road: 'Road', status: 'Status' } as const;

export const emptyDraft = (mode: ComposerMode): Draft => ({ mode, body: '', road: '', status: '' });

interface Props {
  detail: CaseDetail;
  draft: Draft;
  onDraft: (d: Draft) => void;
  textareaRef: RefObject<HTMLTextAreaElement | null>;
}

export function Composer({ detail, draft, onDraft, textareaRef }: Props) {
  const queryClient = useQueryClient();
  const canReply = detail.patron !== null;
  const mode: ComposerMode = canReply ? draft.mode : 'note';
  const form = useFormErrors(EntryCreateBody, LABELS);
  const send = useMutation({
    mutationFn: (body: EntryCreateBodyInput) => call(casesApi.addEntry, { params: { ref: detail.ref }, body }),
    onSuccess: (next) => {
      queryClient.setQueryData(keys.case(detail.ref), next);
      void queryClient.invalidateQueries({ queryKey: keys.cases });
      onDraft(emptyDraft(mode));
    },
    onError: (e) => form.fail(e),
  });

  const submit = () => {
    if (send.isPending) return;
    const body = form.check({
      kind: mode,
      body: draft.body,
      ...(mode === 'reply' && draft.road ? { road: draft.road } : {}),
      ...(draft.status ? { status: draft.status } : {}),
    });
    if (body) send.mutate(body);
  };

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="composer-heading">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack gap="sm">
          <Group justify="space-between">
            <Title order={2} size="h4" id="composer-heading">
              Respond
            </Title>
            <SegmentedControl
              aria-label="Compose as"
              value={mode}
              onChange={(v) => onDraft({ ...draft, mode: v as ComposerMode })}
              data={[
                { value: 'reply', label: 'Reply', disabled: !canReply },
                { value: 'note', label: 'Internal note' },
              ]}
            />
          </Group>
          {!canReply && <Text size="sm">This case has no patron, so only internal notes can be added.</Text>}
          <FormErrors form={form} title={mode === 'reply' ? 'The reply was not sent' : 'The note was not added'} />
          <Textarea
            {...form.field('body')}
            ref={textareaRef}
            label={LABELS.body}
            required
            description={mode === 'note' ? 'Internal: only staff see notes.' : 'The patron receives this reply.'}
            autosize
            minRows={4}
            maxRows={16}
            value={draft.body}
            onChange={(e) => onDraft({ ...draft, body: e.currentTarget.value })}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                submit();
              }
              // Esc leaves the box so single-key shortcuts (r, i, n…) work again.
              if (e.key === 'Escape') e.currentTarget.blur();
            }}
            styles={mode === 'note' ? { input: { background: '#fff9db' } } : undefined}
          />
          <Group align="flex-end" gap="sm" wrap="wrap">
            {mode === 'reply' && (
              <RoadSelect {...form.field('road')} value={draft.road} onChange={(road) => onDraft({ ...draft, road })} />
            )}
            <NativeSelect
              {...form.field('status')}
              label="Then set status"
              value={draft.status}
              onChange={(e) => onDraft({ ...draft, status: e.currentTarget.value as Status | '' })}
              data={[
                { value: '', label: 'Leave as is' },
                ...detail.allowedStatuses.map((s) => ({ value: s, label: STATUS_LABELS[s] })),
              ]}
            />
            <Button type="submit" loading={send.isPending} aria-keyshortcuts="Control+Enter Meta+Enter">
              {mode === 'reply' ? 'Send reply' : 'Add note'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
