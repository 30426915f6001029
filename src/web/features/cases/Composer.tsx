// Reply to the patron or add an internal note; optionally mark the road and set the status in
// the same step. Ctrl/Cmd+Enter sends.
import { useEffect, useState, type RefObject } from 'react';
import { Alert, Button, Checkbox, Group, NativeSelect, Paper, SegmentedControl, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  EntryCreateBody,
  STATUS_LABELS,
  casesApi,
  type CaseDetail,
  type EntryCreateBodyInput,
  type EntryView,
  type Road,
  type Status,
} from '../../../contracts/cases.js';
import { call } from '../../api/client.js';
import { keys, useSession } from '../../api/queries.js';
import { confirm } from '../../components/confirm.js';
import { FormErrors, useFormErrors } from '../../components/FormErrors.js';
import { PromiseButton } from '../promises/PromiseComposer.js';
import { RoadSelect } from '../../components/RoadSelect.js';

/** What staff write here (a patron's own message comes in by the status page or email). */
export type ComposerMode = Exclude<EntryCreateBodyInput['kind'], 'patron_message'>;

export interface Draft {
  mode: ComposerMode;
  body: string;
  road: Road | '';
  status: Status | '';
  /** When the first word was typed (client clock): a colleague's reply after it collides. */
  startedAt: number | null;
}

const LABELS = { body: 'Message', road: 'Road', status: 'Status' } as const;

export const emptyDraft = (mode: ComposerMode): Draft => ({ mode, body: '', road: '', status: '', startedAt: null });

/** "10 s ago", "3 min ago": a collision is a matter of seconds. */
export function secondsAgo(ms: number, now: number): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  return s < 60 ? `${s} s ago` : `${Math.round(s / 60)} min ago`;
}

/** Replies to the patron by colleagues since `since` (the timeline's newest entries). */
function repliesSince(detail: CaseDetail, since: number | null, me: number): EntryView[] {
  if (since === null) return [];
  return detail.entries.filter((e) => e.kind === 'message_out' && e.author?.type === 'user' && e.author.id !== me && e.createdAt >= since);
}

/** Re-renders every few seconds while `on`, so "10 s ago" stays true. */
export function useTick(on: boolean, everyMs = 5000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!on) return;
    const first = setTimeout(() => setNow(Date.now()), 0);
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => {
      clearTimeout(first);
      clearInterval(t);
    };
  }, [on, everyMs]);
  return now;
}

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
  const { user } = useSession();
  // Replying to a case nobody holds: offer to take it in the same step.
  const unassigned = detail.assignee === null;
  const [takeIt, setTakeIt] = useState(true);
  const collided = mode === 'reply' ? repliesSince(detail, draft.startedAt, user.id) : [];
  const latest = collided.at(-1);
  const now = useTick(latest !== undefined);
  const send = useMutation({
    mutationFn: async (body: EntryCreateBodyInput) => {
      const next = await call(casesApi.addEntry, { params: { ref: detail.ref }, body });
      if (body.kind !== 'reply' || !unassigned || !takeIt) return next;
      return call(casesApi.update, { params: { ref: detail.ref }, body: { assigneeId: user.id } });
    },
    onSuccess: (next) => {
      queryClient.setQueryData(keys.case(detail.ref), next);
      void queryClient.invalidateQueries({ queryKey: keys.cases });
      onDraft(emptyDraft(mode));
    },
    onError: (e) => form.fail(e),
  });

  const submit = async () => {
    if (send.isPending) return;
    if (latest) {
      // Written before a colleague's reply: read theirs first, or send knowingly.
      const who = latest.author?.name ?? 'A colleague';
      const sure = await confirm({
        title: 'A colleague has replied',
        message: `${who} replied ${secondsAgo(latest.createdAt, now)}, after you started writing. Send your reply as well?`,
        confirmLabel: 'Send my reply too',
        cancelLabel: 'Read theirs first',
      });
      if (!sure) return;
    }
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
          void submit();
        }}
      >
        <Stack gap="sm">
          <Group justify="space-between">
            <Title order={2} size="h4" id="composer-heading">
              Respond
            </Title>
            <PromiseButton detail={detail} />
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
          <div role="status" aria-live="polite">
            {latest && (
              <Alert color="orange" variant="light" p="xs" className="collision">
                <strong>
                  {latest.author?.name ?? 'A colleague'} replied {secondsAgo(latest.createdAt, now)}
                </strong>
                {collided.length > 1 ? ` (${collided.length} replies)` : ''}, after you started writing. Read it above before
                sending yours.
              </Alert>
            )}
          </div>
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
            onChange={(e) => {
              const body = e.currentTarget.value;
              onDraft({ ...draft, body, startedAt: body.trim() ? (draft.startedAt ?? Date.now()) : null });
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                void submit();
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
            {mode === 'reply' && unassigned && (
              <Checkbox
                label="Assign this case to me"
                checked={takeIt}
                onChange={(e) => setTakeIt(e.currentTarget.checked)}
                mb={8}
              />
            )}
            <Button type="submit" loading={send.isPending} aria-keyshortcuts="Control+Enter Meta+Enter">
              {mode === 'reply' ? 'Send reply' : 'Add note'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
