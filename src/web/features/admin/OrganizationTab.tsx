// The organization's name, locale, time zone, and the team that receives web and email cases.
import { useState } from 'react';
import { Alert, Button, Loader, NativeSelect, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { OrgView } from '../../../contracts/auth.js';
import { ApiError, errorFor, get, patch } from '../../api/client.js';
import { keys, useTeams } from '../../api/queries.js';
import { ErrorAlert, errorText } from '../../components/ErrorAlert.js';

export function OrganizationTab() {
  const org = useQuery({ queryKey: ['admin', 'organization'], queryFn: () => get<OrgView>('/api/admin/organization') });
  if (org.isPending) return <Loader aria-label="Loading settings" />;
  if (org.isError) return <ErrorAlert error={org.error} />;
  return <OrganizationForm org={org.data} />;
}

const LABELS = { name: 'Name', locale: 'Locale', timeZone: 'Time zone', defaultTeamId: 'Default team for web cases' } as const;

function zones(current: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return all.includes(current) ? all : [current, ...all];
}

function OrganizationForm({ org }: { org: OrgView }) {
  const queryClient = useQueryClient();
  const teams = useTeams();
  const [v, setV] = useState({
    name: org.name,
    locale: org.locale,
    timeZone: org.timeZone,
    defaultTeamId: org.defaultTeamId ? String(org.defaultTeamId) : '',
  });
  const save = useMutation({
    mutationFn: () =>
      patch<OrgView>('/api/admin/organization', {
        name: v.name,
        locale: v.locale,
        timeZone: v.timeZone,
        defaultTeamId: v.defaultTeamId ? Number(v.defaultTeamId) : null,
      }),
    onSuccess: (next) => {
      queryClient.setQueryData(['admin', 'organization'], next);
      // Dates everywhere follow the organization's locale and zone.
      void queryClient.invalidateQueries({ queryKey: keys.session });
      notifications.show({ color: 'green', message: 'Organization settings saved.' });
    },
  });
  const err = save.error instanceof ApiError ? save.error : null;
  const fe = (f: keyof typeof LABELS) => errorFor(save.error, f, LABELS[f]);
  const set = (k: keyof typeof v) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => {
    const value = e.currentTarget.value;
    setV((s) => ({ ...s, [k]: value }));
  };
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Stack gap="sm" maw={480}>
        <TextInput label={LABELS.name} required value={v.name} onChange={set('name')} error={fe('name')} />
        <TextInput
          label={LABELS.locale}
          description="A language tag such as en-US, fr-CA or es-MX: it sets how dates and numbers look"
          required
          value={v.locale}
          onChange={set('locale')}
          error={fe('locale')}
        />
        <NativeSelect
          label={LABELS.timeZone}
          value={v.timeZone}
          onChange={set('timeZone')}
          data={zones(org.timeZone)}
          error={fe('timeZone')}
        />
        <NativeSelect
          label={LABELS.defaultTeamId}
          description="Where new web form and email cases land"
          value={v.defaultTeamId}
          onChange={set('defaultTeamId')}
          data={[{ value: '', label: 'No team' }, ...teams.map((t) => ({ value: String(t.id), label: t.name }))]}
          error={fe('defaultTeamId')}
        />
        {save.isError && !(err?.field && err.field in LABELS) && <Alert color="red">{errorText(save.error)}</Alert>}
        <Button type="submit" w="fit-content" loading={save.isPending}>
          Save settings
        </Button>
      </Stack>
    </form>
  );
}
