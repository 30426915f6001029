// The filter row of a queue: every choice goes into the URL, so views can be shared and saved.
import { useState } from 'react';
import { Button, Drawer, Group, NativeSelect, Stack, TextInput, useMantineTheme } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import {
  CHANNELS,
  CHANNEL_LABELS,
  PRIORITIES,
  STATUSES,
  STATUS_LABELS,
} from '../../../contracts/cases.js';
import { useStaff, useTeams } from '../../api/queries.js';
import { PRIORITY_LABELS } from '../../lib/labels.js';
import type { QueueSearch } from './filters.js';

interface Props {
  search: QueueSearch;
  onChange: (patch: Partial<Record<keyof QueueSearch, string | undefined>>) => void;
}

const any = (label: string) => [{ value: '', label }];

/**
 * The filters in a row; on a phone, folded behind a "Filters" button into a sheet from the
 * bottom, so the cases come first.
 */
export function QueueFiltersBar(props: Props) {
  const theme = useMantineTheme();
  const narrow = useMediaQuery(`(max-width: calc(${theme.breakpoints.sm} - 1px))`, false, { getInitialValueInEffect: false });
  const [open, setOpen] = useState(false);
  if (!narrow) return <Filters {...props} />;
  const active = Object.entries(props.search).filter(([k, v]) => v !== undefined && !(k === 'sort' && v === 'activity')).length;
  return (
    <>
      <Button variant="default" w="fit-content" onClick={() => setOpen(true)} aria-haspopup="dialog">
        Filters{active ? ` (${active} on)` : ''}
      </Button>
      <Drawer
        opened={open}
        onClose={() => setOpen(false)}
        position="bottom"
        size="auto"
        title="Filters"
        closeButtonProps={{ 'aria-label': 'Close filters' }}
      >
        <Stack gap="sm">
          <Filters {...props} />
          <Button onClick={() => setOpen(false)}>Show cases</Button>
        </Stack>
      </Drawer>
    </>
  );
}

function Filters({ search, onChange }: Props) {
  const teams = useTeams();
  const staff = useStaff().filter((u) => u.active);
  const set = (k: keyof QueueSearch) => (e: React.ChangeEvent<HTMLSelectElement>) =>
    onChange({ [k]: e.currentTarget.value || undefined });

  return (
    <Group gap="sm" align="flex-end" wrap="wrap">
      <NativeSelect
        label="Status"
        value={search.status ?? ''}
        onChange={set('status')}
        data={[...any('Any status'), ...STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))]}
      />
      <NativeSelect
        label="Priority"
        value={search.priority ?? ''}
        onChange={set('priority')}
        data={[...any('Any priority'), ...PRIORITIES.map((p) => ({ value: p, label: PRIORITY_LABELS[p] }))]}
      />
      <NativeSelect
        label="Channel"
        value={search.channel ?? ''}
        onChange={set('channel')}
        data={[...any('Any channel'), ...CHANNELS.map((c) => ({ value: c, label: CHANNEL_LABELS[c] }))]}
      />
      <NativeSelect
        label="Team"
        value={search.teamId ? String(search.teamId) : ''}
        onChange={set('teamId')}
        data={[...any('Any team'), ...teams.map((t) => ({ value: String(t.id), label: t.name }))]}
      />
      <NativeSelect
        label="Assignee"
        value={search.assigneeId ? String(search.assigneeId) : ''}
        onChange={set('assigneeId')}
        data={[
          ...any('Anyone'),
          { value: 'none', label: 'Unassigned' },
          ...staff.map((u) => ({ value: String(u.id), label: u.name })),
        ]}
      />
      <TagFilter key={search.tag ?? ''} tag={search.tag ?? ''} onApply={(tag) => onChange({ tag: tag || undefined })} />
      <NativeSelect
        label="Sort"
        value={search.sort ?? 'activity'}
        onChange={(e) => onChange({ sort: e.currentTarget.value === 'age' ? 'age' : undefined })}
        data={[
          { value: 'activity', label: 'Last activity' },
          { value: 'age', label: 'Age' },
        ]}
      />
    </Group>
  );
}

/** Applied on Enter or when leaving the field, not on every keystroke. */
function TagFilter({ tag, onApply }: { tag: string; onApply: (tag: string) => void }) {
  return (
    <TextInput
      label="Tag"
      defaultValue={tag}
      placeholder="Any tag"
      w={140}
      onBlur={(e) => {
        if (e.currentTarget.value.trim() !== tag) onApply(e.currentTarget.value.trim());
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          onApply(e.currentTarget.value.trim());
        }
      }}
    />
  );
}
