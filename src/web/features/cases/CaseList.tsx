// Cases as a <DataTable>: the queue shows every column, a patron's history a few.
import { Badge, Group, Text } from '@mantine/core';
import type { CaseSummary } from '../../../contracts/cases.js';
import type { KeysetList } from '../../api/keyset.js';
import { useSession } from '../../api/queries.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { AnchorLink } from '../../components/links.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { When } from '../../components/When.js';
import type { Place } from '../../lib/format.js';
import { PRIORITY_COLORS, PRIORITY_LABELS } from '../../lib/labels.js';

const COLUMNS = ['ref', 'subject', 'patron', 'status', 'priority', 'team', 'assignee', 'lastActivity'] as const;
export type CaseColumn = (typeof COLUMNS)[number];

function columns(place: Place): Record<CaseColumn, Column<CaseSummary>> {
  return {
    ref: {
      key: 'ref',
      header: 'Reference',
      nowrap: true,
      cell: (c) => (
        <Text size="sm" ff="monospace">
          {c.ref}
        </Text>
      ),
    },
    subject: {
      key: 'subject',
      header: 'Subject',
      primary: true,
      cell: (c) => (
        <>
          <AnchorLink to="/cases/$ref" params={{ ref: c.ref }} fw={500} size="sm">
            {c.subject}
          </AnchorLink>
          {c.tags.length > 0 && (
            <Group gap={4} mt={4}>
              {c.tags.map((t) => (
                <Badge key={t} size="xs" variant="outline" color="gray" c="dark" tt="none">
                  {t}
                </Badge>
              ))}
            </Group>
          )}
        </>
      ),
    },
    patron: { key: 'patron', header: 'Patron', cell: (c) => c.patron?.name ?? '—' },
    status: { key: 'status', header: 'Status', cell: (c) => <StatusBadge status={c.status} /> },
    priority: {
      key: 'priority',
      header: 'Priority',
      cell: (c) => (
        <Text span size="sm" fw={c.priority === 'high' || c.priority === 'urgent' ? 700 : 400} c={PRIORITY_COLORS[c.priority]}>
          {PRIORITY_LABELS[c.priority]}
        </Text>
      ),
    },
    team: { key: 'team', header: 'Team', hideInCard: true, cell: (c) => c.team?.name ?? '—' },
    assignee: {
      key: 'assignee',
      header: 'Assignee',
      cell: (c) =>
        c.assignee?.name ?? (
          <Text span size="sm" c="dimmed">
            Unassigned
          </Text>
        ),
    },
    lastActivity: {
      key: 'lastActivity',
      header: 'Last activity',
      nowrap: true,
      cell: (c) => <When ms={c.lastActivityAt} place={place} />,
    },
  };
}

interface Props {
  list: KeysetList<CaseSummary>;
  /** Which columns, in order; all of them when left out. */
  show?: readonly CaseColumn[];
  label?: string;
  empty: string;
  onOpen?: (c: CaseSummary) => void;
  minWidth?: number;
  /** Columns another feature adds after these (staffing's time to target). */
  extra?: Column<CaseSummary>[];
  /** See DataTable: the row to focus again when coming back to this list. */
  rememberAs?: string;
}

export function CaseList({ list, show = COLUMNS, label = 'Cases', empty, onOpen, minWidth, extra = [], rememberAs }: Props) {
  const { org } = useSession();
  const all = columns(org);
  return (
    <DataTable
      label={label}
      columns={[...show.map((k) => all[k]), ...extra]}
      list={list}
      rowKey={(c) => c.id}
      empty={empty}
      loadingLabel="Loading cases"
      errorTitle="Could not load the cases"
      onOpen={onOpen}
      minWidth={minWidth}
      rememberAs={rememberAs}
    />
  );
}
