// The audit log in words, newest first, paged back by id ("Load more"): who did what to whom,
// filtered by kind (sign-ins are left out unless asked for: they would drown the rest).
import { Checkbox, Group, NativeSelect, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { adminApi, type AuditEntryView, type AuditPage } from '../../../contracts/admin.js';
import { AUDIT_ACTION_LABELS, AUDIT_KINDS, AUDIT_KIND_LABELS, type AuditKind } from '../../../contracts/audit.js';
import type { Place } from '../../lib/format.js';
import { call } from '../../api/client.js';
import { useKeysetList } from '../../api/keyset.js';
import { useSession } from '../../api/queries.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { When } from '../../components/When.js';

const itemsOf = (p: AuditPage) => p.items;
const nextOf = (p: AuditPage) => p.nextBefore;

/** "Signed in"; an action without a label shows as its code rather than not at all. */
export const actionWords = (action: string) => AUDIT_ACTION_LABELS[action] ?? action;

const TARGET_WORDS: Record<string, string> = {
  user: 'User',
  team: 'Team',
  case: 'Case',
  patron: 'Patron',
  organization: 'Organization',
  job: 'Job',
};

/** The target by name ("Case SW-12: Refund for…", "User Jordan Lee"), else by kind and id. */
function targetWords(a: AuditEntryView): string {
  if (!a.targetType) return '—';
  const kind = TARGET_WORDS[a.targetType] ?? a.targetType;
  if (a.targetName) return `${kind} ${a.targetName}`;
  return a.targetId ? `${kind} #${a.targetId}` : kind;
}

/** A detail's keys and values as short lines ("from: associate · to: admin"). */
function detailWords(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .map(([k, v]) => `${k.replace(/([a-z])([A-Z])/g, '$1 $2').replaceAll('_', ' ').toLowerCase()}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' · ');
}

const columns = (place: Place): Column<AuditEntryView>[] => [
  { key: 'when', header: 'When', nowrap: true, cell: (a) => <When ms={a.createdAt} place={place} relative={false} /> },
  { key: 'who', header: 'Who', cell: (a) => a.actor?.name ?? 'System' },
  {
    key: 'action',
    header: 'What',
    primary: true,
    cell: (a) => (
      <Text size="sm" fw={500} title={a.action}>
        {actionWords(a.action)}
      </Text>
    ),
  },
  { key: 'target', header: 'To what', cell: targetWords },
  {
    key: 'detail',
    header: 'Details',
    cell: (a) =>
      a.detail && Object.keys(a.detail).length ? (
        <Text size="xs" className="pre-wrap">
          {detailWords(a.detail)}
        </Text>
      ) : (
        '—'
      ),
  },
  { key: 'ip', header: 'IP address', hideInCard: true, cell: (a) => a.ip ?? '—' },
];

const KIND_CHOICES = [
  { value: '', label: 'Everything' },
  ...AUDIT_KINDS.map((k) => ({ value: k, label: AUDIT_KIND_LABELS[k] })),
];

export function AuditTab() {
  const { org } = useSession();
  const [kind, setKind] = useState<AuditKind | ''>('');
  const [signIns, setSignIns] = useState(false);
  const query = { kind: kind || undefined, signIns: !kind && signIns ? ('include' as const) : ('exclude' as const) };
  const log = useKeysetList({
    queryKey: ['admin', 'audit', query],
    page: (before: number | undefined) => call(adminApi.audit, { query: { before, ...query, limit: 50 } }),
    items: itemsOf,
    next: nextOf,
  });

  return (
    <Stack gap="sm">
      <Group align="flex-end" gap="md">
        <NativeSelect
          label="Show"
          value={kind}
          onChange={(e) => setKind(e.currentTarget.value as AuditKind | '')}
          data={KIND_CHOICES}
        />
        {!kind && (
          <Checkbox
            label="Include sign-ins"
            checked={signIns}
            onChange={(e) => setSignIns(e.currentTarget.checked)}
            mb={8}
          />
        )}
      </Group>
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
