// Change my own password; the server's field errors land on the field they name.
import { useState } from 'react';
import { Alert, Button, Paper, Stack, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { ApiError, errorFor, post } from '../../api/client.js';
import { useSession } from '../../api/queries.js';
import { errorText } from '../../components/ErrorAlert.js';

export function AccountPage() {
  useDocumentTitle('Your account · Servewell');
  const { user } = useSession();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const change = useMutation({
    mutationFn: () => post('/api/auth/password', { currentPassword, newPassword }),
    onSuccess: () => {
      setCurrent('');
      setNew('');
      notifications.show({ color: 'green', message: 'Your password has been changed.' });
    },
  });
  const err = change.error instanceof ApiError ? change.error : null;
  const onField = (f: string, label: string) => errorFor(change.error, f, label);

  return (
    <Stack maw={480}>
      <Title order={1}>Your account</Title>
      <Paper withBorder p="lg">
        <Title order={2} size="h3" mb="sm">
          Change password
        </Title>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            change.mutate();
          }}
        >
          <Stack>
            <TextInput label="Email" value={user.email} readOnly />
            {change.isError && !err?.field && <Alert color="red">{errorText(change.error)}</Alert>}
            <TextInput
              label="Current password"
              type="password"
              autoComplete="current-password"
              required
              value={currentPassword}
              onChange={(e) => setCurrent(e.currentTarget.value)}
              error={onField('currentPassword', 'Current password')}
            />
            <TextInput
              label="New password"
              type="password"
              autoComplete="new-password"
              description="At least 10 characters. Your other sessions will be signed out."
              required
              value={newPassword}
              onChange={(e) => setNew(e.currentTarget.value)}
              error={onField('newPassword', 'New password')}
            />
            <Button type="submit" loading={change.isPending} w="fit-content">
              Change password
            </Button>
          </Stack>
        </form>
      </Paper>
    </Stack>
  );
}
