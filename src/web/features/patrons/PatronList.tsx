// The patron list: every patron, newest first, filtered by the desk's patron search, failing
// contact points, do-not-contact and creation days; "Export CSV" downloads the same filtered
// list as a file (streamed by the server, not built in the page).
import { useState } from 'react';
import { Badge, Button, Group, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue, useDocumentTitle } from '@mantine/hooks';
import { useNavigate } from '@tanstack/react-router';
import { patronsApi, type PatronListFiltersInput, type PatronListItem, type PatronListPage as Page } from '../../../contracts/patrons.js';
import { call, hrefOf } from '../../api/client.js';
import { useKeysetList } from '../../api/keyset.js';
import { useSession } from '../../api/queries.js';
import { DataTable } from '../../components/DataTable.js';
import { AnchorLink } from '../../components/links.js';
import { When } from '../../components/When.js';

const itemsOf = (p: Page) => p.items;
const nextOf = (p: Page) => p.nextCursor;

type YesNo = '' | 'true' | 'false';
const asFlag = (v: YesNo) => (v === '' ? undefined : v);

export function PatronListPage() {
  useDocumentTitle('Patrons · Servewell');
  const { org, user } = useSession();
  const navigate = useNavigate();
  const [text, setText] = useState('');
  const [q] = useDebouncedValue(text.trim(), 250);
  const [failing, setFailing] = useState<YesNo>('');
  const [doNotContact, setDoNotContact] = useState<YesNo>('');
  const [createdFrom, setCreatedFrom] = useState('');
  const [createdTo, setCreatedTo] = useState('');
  const filters: PatronListFiltersInput = {
    q: q || undefined,
    failing: asFlag(failing),
    doNotContact: asFlag(doNotContact),
    createdFrom: createdFrom || undefined,
    createdTo: createdTo || undefined,
  };
  const list = useKeysetList({
    queryKey: ['patron', 'list', filters],
    page: (after: string | undefined) => call(patronsApi.list, { query: { ...filters, after, limit: 50 } }),
    items: itemsOf,
    next: nextOf,
  });
  const yesNo = (yes: string, no: string) => [
    { value: '', label: 'Either' },
    { value: 'true', label: yes },
    { value: 'false', label: no },
  ];
  const manager = user.role === 'admin' || user.role === 'supervisor';
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Title order={1}>Patrons</Title>
        {manager && (
          <Button
            component="a"
            href={hrefOf(patronsApi.exportCsv, { query: filters })}
            download
            variant="default"
            aria-describedby="patron-export-help"
          >
            Export CSV
          </Button>
        )}
      </Group>
      {manager && (
        <Text size="sm" id="patron-export-help">
          Export CSV downloads the patrons these filters show, for a spreadsheet, with each patron’s relationship value
          total; notes are never exported, and every export is recorded in the audit log.
        </Text>
      )}
      <Group align="flex-end" gap="sm" wrap="wrap" role="search" aria-label="Filter patrons">
        <TextInput
          label="Find"
          type="search"
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          description="Name, email or phone"
          w={240}
        />
        <NativeSelect
          label="Failing contact"
          value={failing}
          onChange={(e) => setFailing(e.currentTarget.value as YesNo)}
          data={yesNo('Has a failing contact', 'All contacts work')}
        />
        <NativeSelect
          label="Do not contact"
          value={doNotContact}
          onChange={(e) => setDoNotContact(e.currentTarget.value as YesNo)}
          data={yesNo('Do not contact', 'May be contacted')}
        />
        <TextInput label="Added from" type="date" value={createdFrom} onChange={(e) => setCreatedFrom(e.currentTarget.value)} />
        <TextInput label="Added to" type="date" value={createdTo} onChange={(e) => setCreatedTo(e.currentTarget.value)} />
      </Group>
      <DataTable
        list={list}
        label="Patrons"
        empty="No patrons match these filters."
        loadingLabel="Loading patrons"
        errorTitle="Could not load the patrons"
        rowKey={(x: PatronListItem) => x.id}
        rememberAs="patrons"
        onOpen={(x: PatronListItem) => void navigate({ to: '/patrons/$id', params: { id: String(x.id) } })}
        columns={[
          {
            key: 'name',
            header: 'Name',
            primary: true,
            cell: (x: PatronListItem) => (
              <AnchorLink to="/patrons/$id" params={{ id: String(x.id) }}>
                {x.name}
                {x.preferredName ? ` (${x.preferredName})` : ''}
              </AnchorLink>
            ),
          },
          { key: 'email', header: 'Email', cell: (x: PatronListItem) => x.email ?? '' },
          { key: 'phone', header: 'Phone', cell: (x: PatronListItem) => x.phone ?? '', nowrap: true },
          {
            key: 'flags',
            header: 'Contact',
            cell: (x: PatronListItem) => (
              <Group gap={4}>
                {x.doNotContact && <Badge color="red">Do not contact</Badge>}
                {x.failingContacts > 0 && <Badge color="yellow">{x.failingContacts} failing</Badge>}
              </Group>
            ),
          },
          { key: 'cases', header: 'Cases', cell: (x: PatronListItem) => x.cases },
          {
            key: 'last',
            header: 'Last contact',
            hideInCard: true,
            cell: (x: PatronListItem) => (x.lastContactAt ? <When ms={x.lastContactAt} place={org} /> : '—'),
          },
        ]}
      />
    </Stack>
  );
}
