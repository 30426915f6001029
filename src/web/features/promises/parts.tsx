// Pieces the promise screens share: a promise's state badge, a plain list of promises, and the
// kept rate over a period (a team measure, shown for one scope at a time, never ranked).
import { Badge, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { HOW_LABELS, PROMISE_STATE_LABELS, promisesApi, type PromiseList, type PromiseState, type PromiseView } from '../../../contracts/promises.js';
import { call } from '../../api/client.js';
import { useSession } from '../../api/queries.js';
import type { Column } from '../../components/DataTable.js';
import { AnchorLink } from '../../components/links.js';
import { When } from '../../components/When.js';
import { formatters, useNow } from '../../lib/format.js';
import { promiseKeys } from './keys.js';
import type { Period } from './period.js';

const STATE_COLORS: Record<PromiseState, string> = { open: 'blue', kept: 'green', broken: 'red', kept_late: 'orange', released: 'gray' };

export function PromiseStateBadge({ state, overdue }: { state: PromiseState; overdue?: boolean }) {
  return (
    <Badge variant="light" color={overdue && state === 'open' ? 'red' : STATE_COLORS[state]} tt="none">
      {overdue && state === 'open' ? 'Overdue' : PROMISE_STATE_LABELS[state]}
    </Badge>
  );
}

/** A short list (one bucket of "my promises", a case's or a patron's) as a plain table. */
/** A keyset page of promises, as `useKeysetList` reads it (defined once: the list is rebuilt when these change). */
export const listItems = (p: PromiseList) => p.items;
export const listNext = (p: PromiseList) => p.nextCursor;

/** The column every list of promises starts with: the case, as a link. */
export const caseColumn: Column<PromiseView> = {
  key: 'case',
  header: 'Case',
  primary: true,
  cell: (p) => (
    <AnchorLink to="/cases/$ref" params={{ ref: p.caseRef }} ff="monospace">
      {p.caseRef}
    </AnchorLink>
  ),
};

export function PromiseTable({ items, caption, showOwner = false }: { items: PromiseView[]; caption: string; showOwner?: boolean }) {
  const { org } = useSession();
  const fmt = formatters(org);
  return (
    <Table striped withTableBorder aria-label={caption}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Case</Table.Th>
          <Table.Th>Promised</Table.Th>
          <Table.Th>To</Table.Th>
          <Table.Th>Due</Table.Th>
          {showOwner && <Table.Th>Owner</Table.Th>}
          <Table.Th>State</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {items.map((p) => (
          <Table.Tr key={p.id}>
            <Table.Td>
              <AnchorLink to="/cases/$ref" params={{ ref: p.caseRef }} ff="monospace">
                {p.caseRef}
              </AnchorLink>
            </Table.Td>
            <Table.Td>
              {p.what} <Text span size="xs" c="dimmed">({HOW_LABELS[p.how]})</Text>
            </Table.Td>
            <Table.Td>{p.patron?.name ?? p.toUser?.name ?? '—'}</Table.Td>
            <Table.Td>
              <time dateTime={new Date(p.dueAt).toISOString()}>{fmt.dateTime(p.dueAt)}</time>
            </Table.Td>
            {showOwner && <Table.Td>{p.owner.name}</Table.Td>}
            <Table.Td>
              <PromiseStateBadge state={p.state} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

const DAY = 24 * 3600_000;

/** Kept on time and late over a period (default: the last 30 days), for one scope. */
export function KeptRateCard({ scope, id, title, period }: { scope: 'org' | 'team' | 'person'; id?: number; title: string; period?: Period }) {
  // To the end of this hour, so the key stays the same while the clock ticks.
  const hour = Math.ceil(useNow() / 3600_000) * 3600_000;
  const { from, to } = period ?? { from: hour - 30 * DAY, to: hour };
  const q = useQuery({
    queryKey: promiseKeys.rate(scope, id ?? null, from, to),
    queryFn: () => call(promisesApi.keptRate, { query: { scope, ...(id !== undefined ? { id } : {}), from, to } }),
  });
  const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${Math.round(x * 100)}%`);
  const r = q.data;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label={title}>
      <Stack gap={4}>
        <Title order={2} size="h5">
          {title}
        </Title>
        <Group gap="lg">
          <Text>
            <Text span fw={700} size="xl">
              {pct(r?.onTimeRate)}
            </Text>{' '}
            kept on time
          </Text>
          <Text>
            <Text span fw={700} size="xl">
              {pct(r?.keptRate)}
            </Text>{' '}
            kept at all
          </Text>
        </Group>
        <Text size="sm" c="dimmed">
          {period ? 'In the period' : 'Last 30 days'}: {r ? `${r.kept} on time, ${r.keptLate} late, ${r.broken} not kept` : '…'}. A measure of how the team keeps its word, not a ranking of people.
        </Text>
      </Stack>
    </Paper>
  );
}

export { When };
