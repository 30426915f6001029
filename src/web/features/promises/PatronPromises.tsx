// Promises made to a patron, across their cases: the kept/broken record, newest first.
import { Paper, Title } from '@mantine/core';
import { promisesApi, type PromiseView } from '../../../contracts/promises.js';
import { call } from '../../api/client.js';
import { useKeysetList } from '../../api/keyset.js';
import { useSession } from '../../api/queries.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { formatters } from '../../lib/format.js';
import { promiseKeys } from './keys.js';
import { caseColumn, listItems, listNext, PromiseStateBadge } from './parts.js';

export function PatronPromises({ patronId }: { patronId: number }) {
  const { user, org } = useSession();
  const fmt = formatters(org);
  const list = useKeysetList({
    queryKey: promiseKeys.onPatron(patronId),
    page: (after: string | undefined) => call(promisesApi.onPatron, { params: { id: patronId }, query: after ? { after } : {} }),
    items: listItems,
    next: listNext,
    enabled: user.role !== 'volunteer',
  });
  if (user.role === 'volunteer' || (!list.isPending && list.items.length === 0)) return null;
  const columns: Column<PromiseView>[] = [
    caseColumn,
    { key: 'what', header: 'Promised', cell: (p) => p.what },
    { key: 'due', header: 'Due', nowrap: true, cell: (p) => fmt.dateTime(p.dueAt) },
    { key: 'state', header: 'State', cell: (p) => <PromiseStateBadge state={p.state} /> },
  ];
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="patron-promises-heading">
      <Title order={2} size="h4" id="patron-promises-heading" mb="sm">
        Promises kept and broken
      </Title>
      <DataTable label="Promises to this patron" columns={columns} list={list} rowKey={(p) => p.id} empty="No promises yet." loadingLabel="Loading promises" />
    </Paper>
  );
}
