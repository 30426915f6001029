// The audit log, newest first, paged back by id ("Load more"), filtered by action.
import { Button, Code, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { adminApi, type AuditEntryView, type AuditPage } from '../../../contracts/admin.js';
import type { Place } from '../../lib/format.js';
import { call } from '../../api/client.js';
import { useKeysetList } from '../../api/keyset.js';
import { useSession } from '../../api/queries.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { When } from '../../components/When.js';

const itemsOf = (p: AuditPage) => p.items;
const nextOf = (p: AuditPage) => p.nextBefore;

const columns = (place: Place): Column<AuditEntryView>[] => [
  { key: 'when', header: 'When', nowrap: true, cell: (a) => <When ms={a.createdAt} place={place} relative={false} /> },
  { key: 'who', header: 'Who', cell: (a) => a.actor?.name ?? 'System' },
  { key: 'action', header: 'Action', primary: true, cell: (a) => <Code>{a.action}</Code> },
  { key: 'target', header: 'Target', cell: (a) => [a.targetType, a.targetId].filter(Boolean).join(' ') || '—' },
  {
    key: 'detail',
    header: 'Details',
    cell: (a) =>
      a.detail ? (
        <Text size="xs" ff="monospace" className="pre-wrap">
          {JSON.stringify(a.detail)}
        </Text>
      ) : (
        '—'
      ),
  },
  { key: 'ip', header: 'IP', hideInCard: true, cell: (a) => a.ip ?? '—' },
];

export function AuditTab() {
  const { org } = useSession();
  const [action, setAction] = useState('');
  const log = useKeysetList({
    queryKey: ['admin', 'audit', action],
    page: (before: number | undefined) => call(adminApi.audit, { query: { before, action: action || undefined, limit: 50 } }),
    items: itemsOf,
    next: nextOf,
  });

  return (
    <Stack gap="sm">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const v = new FormData(e.currentTarget).get('action');
          setAction(typeof v === 'string' ? v.trim() : '');
        }}
      >
        <Group align="flex-end" gap="sm">
          <TextInput name="action" label="Action" description="For example user.created or case.status_override" defaultValue={action} />
          <Button type="submit" variant="default">
            Filter
          </Button>
        </Group>
      </form>
      <DataTable
        label="Audit log"
        columns={columns(org)}
        list={log}
        rowKey={(a) => a.id}
        empty="No entries."
        loadingLabel="Loading the audit log"
        errorTitle="Could not load the audit log"
        minWidth={900}
        striped
      />
    </Stack>
  );
}
