// What staffing adds to a queue: the live warning when arrivals outrun the staff on shift of
// the user's team, and a "Time to target" column for cases whose team answers now.
import { Alert, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { CHANNEL_LABELS, type CaseSummary, type Channel } from '../../../contracts/cases.js';
import { staffingApi } from '../../../contracts/staffing.js';
import { call } from '../../api/client.js';
import { useSession } from '../../api/queries.js';
import type { Column } from '../../components/DataTable.js';
import { useNow } from '../../lib/format.js';
import { staffingKeys } from './keys.js';

export function StaffingWarning() {
  const { user } = useSession();
  const teamId = user.teamId;
  const warnings = useQuery({
    queryKey: staffingKeys.warnings(teamId ?? 0),
    queryFn: () => call(staffingApi.warnings, { params: { teamId: teamId! } }),
    enabled: teamId !== null,
    refetchInterval: 5 * 60_000,
  });
  const items = warnings.data?.warnings ?? [];
  if (items.length === 0) return null;
  return (
    <Alert color="orange" title="More arrivals than staff on shift" role="status">
      {items.map((w) => (
        <Text key={w.channel} size="sm">
          {CHANNEL_LABELS[w.channel as Channel] ?? w.channel}: about {Math.round(w.arrivalsPerHour)} an hour now; the target needs {w.required}, the roster has {w.onShift} on shift.
        </Text>
      ))}
    </Alert>
  );
}

function words(ms: number): string {
  const m = Math.round(Math.abs(ms) / 60_000);
  const text = m < 60 ? `${m} min` : m < 48 * 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${Math.round(m / 1440)} days`;
  return ms >= 0 ? `in ${text}` : `${text} late`;
}

/** The time-to-target column for these cases (new ones only: answered cases have met or missed it). */
export function useTimeToTarget(items: CaseSummary[]): Column<CaseSummary> {
  const now = useNow();
  const waiting = items.filter((c) => c.status === 'new').slice(0, 200);
  const ids = waiting.map((c) => c.id).join(',');
  const due = useQuery({
    queryKey: staffingKeys.due(ids),
    queryFn: () => call(staffingApi.due, { body: { cases: waiting.map((c) => ({ id: c.id, teamId: c.team?.id ?? null, channel: c.channel, createdAt: c.createdAt })) } }),
    enabled: waiting.length > 0,
    staleTime: 60_000,
  });
  const byId = new Map((due.data?.due ?? []).map((d) => [d.id, d]));
  return {
    key: 'target',
    header: 'Time to target',
    nowrap: true,
    cell: (c) => {
      const d = byId.get(c.id);
      if (!d) return '—';
      if (d.mode === 'take_time') return 'Booked slots';
      if (d.dueAt === null) return '—';
      const left = d.dueAt - now;
      return (
        <Text span size="sm" c={left < 0 ? 'red.9' : left < 15 * 60_000 ? 'orange.9' : undefined} fw={left < 0 ? 700 : 400}>
          {words(left)}
        </Text>
      );
    },
  };
}
