// One case: heading, collision warning, timeline and composer, and the side panel.
import { useMemo, useRef, useState } from 'react';
import { Alert, Button, Grid, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useParams } from '@tanstack/react-router';
import { useQuery } from '@tanstack/react-query';
import { casesApi, type CaseDetail } from '../../../contracts/cases.js';
import { ApiError, call } from '../../api/client.js';
import { keys, useStaff } from '../../api/queries.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { useShortcuts } from '../../lib/shortcuts.js';
import { useArrivalFocus } from '../../lib/focus.js';
import { CaseSidePanel } from './CaseSidePanel.js';
import { CasePromises } from '../promises/CasePromises.js';
import { Composer, emptyDraft, secondsAgo, useTick, type ComposerMode, type Draft } from './Composer.js';
import { Timeline } from './Timeline.js';
import { usePresence } from './usePresence.js';
import { useCaseUpdate } from './useCaseUpdate.js';

export function CasePage() {
  const { ref: raw } = useParams({ from: '/app/cases/$ref' });
  const ref = raw.toUpperCase();
  const query = useQuery({
    queryKey: keys.case(ref),
    queryFn: () => call(casesApi.get, { params: { ref } }),
  });
  useDocumentTitle(query.data ? `${query.data.ref} ${query.data.subject} · Servewell` : `${ref} · Servewell`);

  if (query.isPending) return <Loader aria-label="Loading the case" />;
  if (query.isError) {
    const missing = query.error instanceof ApiError && query.error.status === 404;
    return (
      <Stack>
        <Title order={1}>{missing ? `Case ${ref} not found` : `Could not open ${ref}`}</Title>
        <ErrorAlert error={query.error} />
      </Stack>
    );
  }
  return <CaseView key={ref} detail={query.data} />;
}

/** A colleague's latest change while the case is open here, said for a minute. */
function useColleagueChange(ref: string): { name: string; at: number } | null {
  const staff = useStaff();
  const { data } = useQuery<{ byUserId: number | null; at: number } | null>({
    queryKey: keys.caseChangedBy(ref),
    queryFn: () => null,
    enabled: false,
    initialData: null,
  });
  const now = useTick(data !== null);
  if (!data || now - data.at > 60_000) return null;
  const name = staff.find((u) => u.id === data.byUserId)?.name ?? 'A colleague';
  return { name, at: data.at };
}

function CaseView({ detail }: { detail: CaseDetail }) {
  const [draft, setDraft] = useState<Draft>(() => emptyDraft(detail.patron ? 'reply' : 'note'));
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const others = usePresence(detail.ref, draft.body.trim() !== '');
  const update = useCaseUpdate(detail.ref);

  const bindings = useMemo(() => {
    const write = (mode: ComposerMode) => () => {
      setDraft((d) => ({ ...d, mode: detail.patron ? mode : 'note' }));
      textareaRef.current?.focus();
    };
    return { r: write('reply'), i: write('note') };
  }, [detail.patron]);
  useShortcuts(bindings);

  const canResolve = detail.allowedStatuses.includes('resolved');
  const changedBy = useColleagueChange(detail.ref);
  const now = useTick(changedBy !== null);
  const headingRef = useArrivalFocus<HTMLHeadingElement>();

  return (
    <Stack gap="md">
      {/* Wraps on a phone: "Resolve" goes under the title rather than being cut (WCAG 1.4.10). */}
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
        <Title order={1} size="h2" ref={headingRef} tabIndex={-1}>
          <Text span inherit ff="monospace" c="dimmed">
            {detail.ref}
          </Text>{' '}
          {detail.subject}
        </Title>
        {canResolve && (
          <Button onClick={() => update.mutate({ status: 'resolved' })} loading={update.isPending} style={{ flexShrink: 0 }}>
            Resolve
          </Button>
        )}
      </Group>
      <div role="status">
        {changedBy && (
          <Text size="sm" c="dimmed" mb={4}>
            {changedBy.name} changed this case {secondsAgo(changedBy.at, now)}.
          </Text>
        )}
        {others.length > 0 && (
          <Alert color="orange" variant="light" title="Someone else is here" role="none">
            {others.map((o) => (
              <div key={o.userId}>
                {o.state === 'composing' ? `${o.name} is writing a reply` : `${o.name} is also viewing this case`}
              </div>
            ))}
          </Alert>
        )}
      </div>
      <ErrorAlert error={update.error} title="The change was not saved" />
      <Grid gap="lg">
        {/* On a phone the details (status, assignee) come first, above the conversation and the reply box. */}
        <Grid.Col span={{ base: 12, md: 8 }} order={{ base: 2, md: 1 }}>
          <Stack gap="md">
            <section aria-labelledby="timeline-heading">
              <Title order={2} size="h4" id="timeline-heading" mb="sm">
                Conversation
              </Title>
              <Timeline detail={detail} />
            </section>
            <Composer detail={detail} draft={draft} onDraft={setDraft} textareaRef={textareaRef} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }} order={{ base: 1, md: 2 }}>
          <Stack gap="md">
            <CasePromises detail={detail} />
            <CaseSidePanel detail={detail} update={(b) => update.mutateAsync(b)} pending={update.isPending} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
