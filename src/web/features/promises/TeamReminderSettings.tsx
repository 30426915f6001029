// When a team's promise owners are reminded, and when its supervisors hear of a promise not
// kept: set by a supervisor or an admin; everyone else reads them.
import { Button, Loader, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { TeamPromiseSettingsBody, promisesApi, type TeamPromiseSettings, type TeamPromiseSettingsBodyInput } from '../../../contracts/promises.js';
import { call } from '../../api/client.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { FormErrors, useFormErrors } from '../../components/FormErrors.js';
import { useFields } from '../../lib/fields.js';
import { promiseKeys } from './keys.js';

const LABELS = { reminderLeadMinutes: 'Remind the owner (minutes before due)', escalateAfterMinutes: 'Tell the supervisors (minutes after due)' } as const;

export function TeamReminderSettings({ teamId, teamName, canEdit }: { teamId: number; teamName: string; canEdit: boolean }) {
  const q = useQuery({ queryKey: promiseKeys.settings(teamId), queryFn: () => call(promisesApi.settings, { params: { teamId } }) });
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="reminder-settings-heading">
      <Title order={2} size="h4" id="reminder-settings-heading" mb="xs">
        Reminders for {teamName}
      </Title>
      {q.isPending ? (
        <Loader size="sm" aria-label="Loading the reminder settings" />
      ) : q.isError ? (
        <ErrorAlert error={q.error} />
      ) : canEdit ? (
        <SettingsForm key={`${teamId}:${q.data.reminderLeadMinutes}:${q.data.escalateAfterMinutes}`} settings={q.data} />
      ) : (
        <Text size="sm">
          Owners are reminded {q.data.reminderLeadMinutes} minutes before a promise is due; supervisors hear of one not kept{' '}
          {q.data.escalateAfterMinutes === 0 ? 'at its due time' : `${q.data.escalateAfterMinutes} minutes after it`}.
        </Text>
      )}
    </Paper>
  );
}

/** Text in a number field, as the schema sees it: empty is missing, anything else a number (or NaN, refused). */
const minutes = (v: string) => (v.trim() === '' ? undefined : Number(v));

function SettingsForm({ settings }: { settings: TeamPromiseSettings }) {
  const queryClient = useQueryClient();
  const { values: v, onChange: set } = useFields({ reminderLeadMinutes: String(settings.reminderLeadMinutes), escalateAfterMinutes: String(settings.escalateAfterMinutes) });
  const form = useFormErrors(TeamPromiseSettingsBody, LABELS);
  const save = useMutation({
    mutationFn: (body: TeamPromiseSettingsBodyInput) => call(promisesApi.saveSettings, { params: { teamId: settings.teamId }, body }),
    onError: (e) => form.fail(e),
    onSuccess: (next) => {
      queryClient.setQueryData(promiseKeys.settings(settings.teamId), next);
      notifications.show({ color: 'green', message: 'Reminder settings saved.' });
    },
  });
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const body = form.check({ reminderLeadMinutes: minutes(v.reminderLeadMinutes), escalateAfterMinutes: minutes(v.escalateAfterMinutes) } as TeamPromiseSettingsBodyInput);
        if (body) save.mutate(body);
      }}
    >
      <Stack gap="sm" maw={420}>
        <FormErrors form={form} title="The reminder settings were not saved" />
        <TextInput
          {...form.field('reminderLeadMinutes')}
          label={LABELS.reminderLeadMinutes}
          description="0 to 10080 (a week). For promises made or moved from now on."
          inputMode="numeric"
          required
          value={v.reminderLeadMinutes}
          onChange={set('reminderLeadMinutes')}
        />
        <TextInput
          {...form.field('escalateAfterMinutes')}
          label={LABELS.escalateAfterMinutes}
          description="0 tells them at the due time."
          inputMode="numeric"
          required
          value={v.escalateAfterMinutes}
          onChange={set('escalateAfterMinutes')}
        />
        <Button type="submit" w="fit-content" loading={save.isPending}>
          Save reminder settings
        </Button>
      </Stack>
    </form>
  );
}
