// The organization's name, locale, time zone, and the team that receives web and email cases.
import { Button, Loader, NativeSelect, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { OrgUpdateBody, adminApi, type OrgUpdateBodyInput } from '../../../contracts/admin.js';
import type { OrgView } from '../../../contracts/auth.js';
import { call } from '../../api/client.js';
import { keys, useTeams } from '../../api/queries.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { FormErrors, useFormErrors } from '../../components/FormErrors.js';
import { useFields } from '../../lib/fields.js';

export function OrganizationTab() {
  const org = useQuery({ queryKey: ['admin', 'organization'], queryFn: () => call(adminApi.organization) });
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
  const { values: v, onChange: set } = useFields({
    name: org.name,
    locale: org.locale,
    timeZone: org.timeZone,
    defaultTeamId: org.defaultTeamId ? String(org.defaultTeamId) : '',
  });
  const form = useFormErrors(OrgUpdateBody, LABELS);
  const save = useMutation({
    mutationFn: (body: OrgUpdateBodyInput) => call(adminApi.updateOrganization, { body }),
    onError: (e) => form.fail(e),
    onSuccess: (next) => {
      queryClient.setQueryData(['admin', 'organization'], next);
      // Dates everywhere follow the organization's locale and zone.
      void queryClient.invalidateQueries({ queryKey: keys.session });
      notifications.show({ color: 'green', message: 'Organization settings saved.' });
    },
  });
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const body = form.check({
          name: v.name,
          locale: v.locale,
          timeZone: v.timeZone,
          defaultTeamId: v.defaultTeamId ? Number(v.defaultTeamId) : null,
        });
        if (body) save.mutate(body);
      }}
    >
      <Stack gap="sm" maw={480}>
        <FormErrors form={form} title="The settings were not saved" />
        <TextInput {...form.field('name')} label={LABELS.name} required value={v.name} onChange={set('name')} />
        <TextInput
          {...form.field('locale')}
          label={LABELS.locale}
          description="A language tag such as en-US, fr-CA or es-MX: it sets how dates and numbers look"
          required
          value={v.locale}
          onChange={set('locale')}
        />
        <NativeSelect
          {...form.field('timeZone')}
          label={LABELS.timeZone}
          value={v.timeZone}
          onChange={set('timeZone')}
          data={zones(org.timeZone)}
        />
        <NativeSelect
          {...form.field('defaultTeamId')}
          label={LABELS.defaultTeamId}
          description="Where new web form and email cases land"
          value={v.defaultTeamId}
          onChange={set('defaultTeamId')}
          data={[{ value: '', label: 'No team' }, ...teams.map((t) => ({ value: String(t.id), label: t.name }))]}
        />
        <Button type="submit" w="fit-content" loading={save.isPending}>
          Save settings
        </Button>
      </Stack>
    </form>
  );
}
