// Duplicates: the likely ones beside a patron, the review screen of every candidate pair, and
// the side-by-side merge (equal fields, conflicts to pick, what is added) with its undo.
import { useState } from 'react';
import { Alert, Badge, Button, Group, Loader, Modal, Paper, Radio, Stack, Table, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  patronsApi,
  type DuplicatePair,
  type DuplicateReviewPage as ReviewPage,
  type MergeField,
  type PatronDetail,
  type PatronSummary,
} from '../../../contracts/patrons.js';
import { call } from '../../api/client.js';
import { useKeysetList } from '../../api/keyset.js';
import { keys, useSession } from '../../api/queries.js';
import { DataTable } from '../../components/DataTable.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { AnchorLink } from '../../components/links.js';
import { When } from '../../components/When.js';

const FIELD_LABELS: Record<MergeField, string> = {
  name: 'Name',
  preferredName: 'Preferred name',
  pronouns: 'Pronouns',
  language: 'Language',
  accessibility: 'Accessibility',
  contactChannel: 'Preferred channel',
  bestTime: 'Best time',
  askedForUserId: 'Asks for (user id)',
};

/** Beside the patron: who is likely the same person, why, and what to do about it. */
export function LikelyDuplicates({ patron }: { patron: PatronDetail }) {
  const { user, org } = useSession();
  const staff = user.role !== 'volunteer';
  const queryClient = useQueryClient();
  const [comparing, setComparing] = useState<PatronSummary | null>(null);
  const query = useQuery({
    queryKey: [...keys.patron(patron.id), 'duplicates'],
    queryFn: () => call(patronsApi.duplicates, { params: { id: patron.id } }),
  });
  const distinct = useMutation({
    mutationFn: (otherId: number) => call(patronsApi.notDuplicate, { params: { id: patron.id }, body: { otherId } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.patron(patron.id) }),
  });
  const merges = useQuery({
    queryKey: [...keys.patron(patron.id), 'merges'],
    queryFn: () => call(patronsApi.merges, { params: { id: patron.id } }),
    enabled: staff,
  });
  const undo = useMutation({
    mutationFn: (mergeId: number) => call(patronsApi.undoMerge, { params: { mergeId } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['patron'] }),
  });
  const items = query.data?.items ?? [];
  const undoable = merges.data?.items ?? [];
  if (!items.length && !undoable.length) return null;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="duplicates-heading">
      <Title order={2} size="h4" id="duplicates-heading" mb="sm">
        Same person?
      </Title>
      <Stack gap="xs">
        {items.map((d) => (
          <Alert key={d.patron.id} color="yellow" variant="light" title={`Likely the same person as ${d.patron.name}`}>
            <Text size="sm">
              Score {d.score}: {d.reasons.join(', ')}.{' '}
              <AnchorLink to="/patrons/$id" params={{ id: String(d.patron.id) }}>
                Open {d.patron.name}
              </AnchorLink>
            </Text>
            {staff && (
              <Group gap="xs" mt="xs">
                <Button size="xs" onClick={() => setComparing(d.patron)}>
                  Compare and merge
                </Button>
                <Button size="xs" variant="default" loading={distinct.isPending} onClick={() => distinct.mutate(d.patron.id)}>
                  Not the same person
                </Button>
              </Group>
            )}
          </Alert>
        ))}
        {undoable.map((m) => (
          <Group key={m.id} justify="space-between">
            <Text size="sm">
              {m.mergedName} was merged in <When ms={m.at} place={org} />
              {m.by ? ` by ${m.by}` : ''}.
            </Text>
            <Button size="xs" variant="default" loading={undo.isPending} onClick={() => undo.mutate(m.id)}>
              Undo merge
            </Button>
          </Group>
        ))}
        <ErrorAlert error={distinct.error ?? undo.error} title="That did not work" />
      </Stack>
      {comparing && <MergeDialog survivorId={patron.id} other={comparing} onClose={() => setComparing(null)} />}
    </Paper>
  );
}

/** Side by side: equal fields, conflicts (pick one), and what the other patron adds. */
export function MergeDialog({ survivorId, other, onClose }: { survivorId: number; other: PatronSummary; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [keep, setKeep] = useState<Partial<Record<MergeField, 'survivor' | 'merged'>>>({});
  const preview = useQuery({
    queryKey: ['patron', survivorId, 'merge', other.id],
    queryFn: () => call(patronsApi.mergePreview, { params: { id: survivorId }, query: { otherId: other.id } }),
  });
  const merge = useMutation({
    mutationFn: () => call(patronsApi.merge, { params: { id: survivorId }, body: { otherId: other.id, keep } }),
    onSuccess: (r) => {
      queryClient.setQueryData(keys.patron(survivorId), r.patron);
      void queryClient.invalidateQueries({ queryKey: ['patron'] });
      onClose();
    },
  });
  const p = preview.data;
  return (
    <Modal opened onClose={onClose} title={`Merge ${other.name} into this patron`} size="xl">
      {preview.isPending && <Loader aria-label="Comparing" />}
      <ErrorAlert error={preview.error ?? merge.error} title="The merge did not happen" />
      {p && (
        <Stack gap="sm">
          <Table withTableBorder fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Field</Table.Th>
                <Table.Th>{p.survivor.name} (stays)</Table.Th>
                <Table.Th>{p.merged.name}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {p.fields.map((f) => (
                <Table.Tr key={f.field}>
                  <Table.Th scope="row">
                    {FIELD_LABELS[f.field]}{' '}
                    {f.state === 'conflict' ? (
                      <Badge size="xs" color="orange" tt="none">
                        pick one
                      </Badge>
                    ) : null}
                  </Table.Th>
                  {f.state === 'conflict' ? (
                    <Table.Td colSpan={2}>
                      <Radio.Group
                        aria-label={`Keep which ${FIELD_LABELS[f.field]}`}
                        value={keep[f.field] ?? 'survivor'}
                        onChange={(v) => setKeep((k) => ({ ...k, [f.field]: v as 'survivor' | 'merged' }))}
                      >
                        <Group>
                          <Radio value="survivor" label={f.survivor ?? '—'} />
                          <Radio value="merged" label={f.merged ?? '—'} />
                        </Group>
                      </Radio.Group>
                    </Table.Td>
                  ) : (
                    <>
                      <Table.Td>{f.survivor ?? '—'}</Table.Td>
                      <Table.Td>{f.merged ?? '—'}</Table.Td>
                    </>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Text size="sm">
            Both kept: {p.additive.contacts} contact points, {p.additive.needs} needs, {p.additive.notes} notes, {p.additive.values} value
            records and {p.additive.cases} cases move to {p.survivor.name}. The merge can be undone for 30 days.
          </Text>
          <Group>
            <Button onClick={() => merge.mutate()} loading={merge.isPending}>
              Merge
            </Button>
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

const itemsOf = (p: ReviewPage) => p.items;
const nextOf = (p: ReviewPage) => p.nextCursor;

/** The review screen: every candidate pair of the organization, best first. */
export function DuplicateReviewPage() {
  useDocumentTitle('Duplicates · Servewell');
  const queryClient = useQueryClient();
  const [comparing, setComparing] = useState<DuplicatePair | null>(null);
  const list = useKeysetList({
    queryKey: ['patron', 'duplicates', 'review'],
    page: (after: string | undefined) => call(patronsApi.reviewDuplicates, { query: { level: 'possible', after, limit: 25 } }),
    items: itemsOf,
    next: nextOf,
  });
  const distinct = useMutation({
    mutationFn: (pair: DuplicatePair) => call(patronsApi.notDuplicate, { params: { id: pair.a.id }, body: { otherId: pair.b.id } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['patron'] }),
  });
  return (
    <Stack gap="md">
      <Title order={1}>Possible duplicates</Title>
      <Text size="sm">Pairs of patrons who may be one person, best match first. Likely ones are also shown beside each patron.</Text>
      <ErrorAlert error={distinct.error} title="That did not work" />
      <DataTable
        list={list}
        label="Possible duplicates"
        empty="No possible duplicates."
        loadingLabel="Loading possible duplicates"
        rowKey={(x: DuplicatePair) => `${x.a.id}-${x.b.id}`}
        columns={[
          { key: 'a', header: 'Patron', primary: true, cell: (x: DuplicatePair) => <PatronLink p={x.a} /> },
          { key: 'b', header: 'May be', cell: (x: DuplicatePair) => <PatronLink p={x.b} /> },
          { key: 'score', header: 'Score', cell: (x: DuplicatePair) => `${x.score} (${x.level})` },
          { key: 'why', header: 'Why', cell: (x: DuplicatePair) => x.reasons.join(', ') },
          {
            key: 'act',
            header: 'Decide',
            cell: (x: DuplicatePair) => (
              <Group gap={4}>
                <Button size="compact-xs" onClick={() => setComparing(x)}>
                  Compare
                </Button>
                <Button size="compact-xs" variant="default" onClick={() => distinct.mutate(x)}>
                  Not the same
                </Button>
              </Group>
            ),
          },
        ]}
      />
      {comparing && <MergeDialog survivorId={comparing.a.id} other={comparing.b} onClose={() => setComparing(null)} />}
    </Stack>
  );
}

function PatronLink({ p }: { p: PatronSummary }) {
  return (
    <AnchorLink to="/patrons/$id" params={{ id: String(p.id) }}>
      {p.name}
      {p.email ? ` · ${p.email}` : ''}
    </AnchorLink>
  );
}
