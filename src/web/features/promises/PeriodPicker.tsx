// The period a kept rate is counted over: presets (the last 7, 30 or 90 days, this year) or a
// custom range of whole days in the organization's time zone. One picker for the dashboard and
// for a person's own page; a range that does not parse says so at its field and asks nothing of
// the server.
import { useState } from 'react';
import { Group, Paper, Radio, Stack, Text, TextInput } from '@mantine/core';
import { useSession } from '../../api/queries.js';
import { formatters, useNow } from '../../lib/format.js';
import {
  customPeriod,
  isoDate,
  lastDayOf,
  PERIOD_LABELS,
  PRESETS,
  presetPeriod,
  type CustomField,
  type Period,
  type PeriodChoice,
} from './period.js';

export interface PeriodState {
  choice: PeriodChoice;
  custom: { from: string; to: string };
  /** Null while a custom range is incomplete or wrong. */
  period: Period | null;
  errors: Partial<Record<CustomField, string>>;
  choose(value: string): void;
  setCustom(update: (c: { from: string; to: string }) => { from: string; to: string }): void;
}

export function usePeriod(initial: PeriodChoice = '30d'): PeriodState {
  const { org } = useSession();
  const now = useNow();
  const [choice, setChoice] = useState<PeriodChoice>(initial);
  const [custom, setCustom] = useState({ from: '', to: '' });
  const checked = choice === 'custom' ? customPeriod(custom.from, custom.to, org.timeZone) : null;
  const period: Period | null =
    choice === 'custom' ? (checked?.ok ? checked.period : null) : presetPeriod(choice, now, org.timeZone);
  return {
    choice,
    custom,
    period,
    errors: checked && !checked.ok ? checked.errors : {},
    choose(value: string) {
      const next = value as PeriodChoice;
      // A custom range starts from the period on screen, so one date changes at a time.
      if (next === 'custom' && period) setCustom({ from: isoDate(period.from, org.timeZone), to: lastDayOf(period, org.timeZone) });
      setChoice(next);
    },
    setCustom,
  };
}

export function PeriodPicker({ state }: { state: PeriodState }) {
  const { org } = useSession();
  const fmt = formatters(org);
  const { choice, custom, period, errors } = state;
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="sm">
        <Radio.Group label="Period" value={choice} onChange={state.choose}>
          <Group gap="md" mt="xs">
            {[...PRESETS, 'custom' as const].map((c) => (
              <Radio key={c} value={c} label={PERIOD_LABELS[c]} />
            ))}
          </Group>
        </Radio.Group>
        {choice === 'custom' && (
          <Group align="flex-start" gap="md">
            <TextInput
              type="date"
              label="From"
              value={custom.from}
              onChange={(e) => {
                const from = e.currentTarget.value;
                state.setCustom((c) => ({ ...c, from }));
              }}
              error={errors.from}
              w={200}
            />
            <TextInput
              type="date"
              label="To"
              value={custom.to}
              onChange={(e) => {
                const to = e.currentTarget.value;
                state.setCustom((c) => ({ ...c, to }));
              }}
              error={errors.to}
              w={200}
            />
          </Group>
        )}
        <Text size="sm" aria-live="polite" data-testid="period-in-words">
          {period
            ? `Promises due from ${fmt.date(period.from)} to ${fmt.date(period.to - 1)}, both days included (days in ${org.timeZone.replace(/_/g, ' ')} time).`
            : 'Fix the dates above to see the figures.'}
        </Text>
      </Stack>
    </Paper>
  );
}
