// Patron typeahead for the quick log: type a name, phone or email, pick with the arrow keys
// and Enter, or choose "New patron" to add one on the spot.
import { useState } from 'react';
import { Button, Combobox, Group, Loader, Text, TextInput, useCombobox } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { patronsApi, type PatronSummary } from '../../../contracts/patrons.js';
import { call } from '../../api/client.js';

export type PatronChoice = { kind: 'existing'; patron: PatronSummary } | { kind: 'new'; seed: string } | null;

const NEW = '__new__';

interface Props {
  value: PatronChoice;
  onChange: (v: PatronChoice) => void;
  id?: string;
  error?: string | undefined;
  /** Marked required (all but internal requests need a patron). */
  required?: boolean;
}

export function PatronPicker({ value, onChange, id, error, required = false }: Props) {
  const [q, setQ] = useState('');
  const [term] = useDebouncedValue(q.trim(), 200);
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });
  const lookup = useQuery({
    queryKey: ['patrons', 'lookup', term],
    queryFn: () => call(patronsApi.lookup, { query: { q: term, limit: 8 } }),
    enabled: term.length > 0,
    staleTime: 30_000,
  });
  const items = term ? (lookup.data?.items ?? []) : [];

  if (value?.kind === 'existing') {
    const p = value.patron;
    return (
      <div>
        <Text size="sm" fw={500} component="p" m={0} id="picked-patron-label">
          Patron
        </Text>
        <Group gap="sm" mt={4}>
          <Text size="sm">
            <strong>{p.name}</strong>
            {[p.email, p.phone].filter(Boolean).length > 0 && ` · ${[p.email, p.phone].filter(Boolean).join(' · ')}`}
          </Text>
          <Button
            id={id}
            size="xs"
            variant="default"
            aria-label={`Change patron (now ${p.name})`}
            onClick={() => onChange(null)}
          >
            Change
          </Button>
        </Group>
      </div>
    );
  }

  return (
    <Combobox
      store={combobox}
      withinPortal={false}
      onOptionSubmit={(v) => {
        combobox.closeDropdown();
        if (v === NEW) return onChange({ kind: 'new', seed: q.trim() });
        const patron = items.find((p) => String(p.id) === v);
        if (patron) onChange({ kind: 'existing', patron });
      }}
    >
      <Combobox.Target withExpandedAttribute>
        <TextInput
          id={id}
          label="Patron"
          withAsterisk={required}
          aria-required={required}
          description="Type a name, phone or email; pick with ↑ ↓ and Enter"
          placeholder="Search patrons"
          value={q}
          error={error}
          rightSection={lookup.isFetching ? <Loader size={16} /> : null}
          onChange={(e) => {
            setQ(e.currentTarget.value);
            combobox.openDropdown();
            combobox.updateSelectedOptionIndex();
          }}
          onFocus={() => combobox.openDropdown()}
          onBlur={() => combobox.closeDropdown()}
          onKeyDown={(e) => {
            // Enter picks a patron here; it must never submit the whole form.
            if (e.key === 'Enter') e.preventDefault();
          }}
        />
      </Combobox.Target>
      <Combobox.Dropdown>
        <Combobox.Options aria-label="Matching patrons">
          {items.map((p) => (
            <Combobox.Option value={String(p.id)} key={p.id}>
              <Text size="sm" fw={500}>
                {p.name}
                {p.preferredName && p.preferredName !== p.name ? ` (${p.preferredName})` : ''}
              </Text>
              <Text size="xs" c="dimmed">
                {[p.email, p.phone].filter(Boolean).join(' · ') || 'No contact details'}
              </Text>
            </Combobox.Option>
          ))}
          {term && !lookup.isFetching && items.length === 0 && <Combobox.Empty>No patron matches “{term}”</Combobox.Empty>}
          <Combobox.Option value={NEW}>
            <Text size="sm" fw={500}>
              New patron{q.trim() ? `: ${q.trim()}` : ''}
            </Text>
          </Combobox.Option>
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}
