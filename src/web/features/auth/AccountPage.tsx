// Change my own password; the server's field errors land on the field they name.
import { useRef, useState } from 'react';
import { Button, Paper, Stack, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { ChangePasswordBody, authApi, type ChangePasswordBodyInput } from '../../../contracts/auth.js';
import { call } from '../../api/client.js';
import { useSession } from '../../api/queries.js';
import { FormErrors, useFormErrors } from '../../components/FormErrors.js';
import { focusHeading } from '../../lib/focus.js';

const LABELS = { currentPassword: 'Current password', newPassword: 'New password' } as const;

export function AccountPage() {
  useDocumentTitle('Your account · Servewell');
  const { user } = useSession();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const form = useFormErrors(ChangePasswordBody, LABELS);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const change = useMutation({
    mutationFn: (body: ChangePasswordBodyInput) => call(authApi.changePassword, { body }),
    onSuccess: () => {
      setCurrent('');
      setNew('');
      notifications.show({ color: 'green', message: 'Your password has been changed.' });
      // The button was busy (and so lost the focus): carry on from the form's heading.
      focusHeading(headingRef.current);
    },
    onError: (e) => form.fail(e),
  });

  return (
    <Stack maw={480}>
      <Title order={1}>Your account</Title>
      <Paper withBorder p="lg">
        <Title order={2} size="h3" mb="sm" ref={headingRef} tabIndex={-1}>
          Change password
        </Title>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const body = form.check({ currentPassword, newPassword });
            if (body) change.mutate(body);
          }}
        >
          <Stack>
            <TextInput label="Email" value={user.email} readOnly />
            <FormErrors form={form} title="Your password was not changed" />
            <TextInput
              {...form.field('currentPassword')}
              label={LABELS.currentPassword}
              type="password"
              autoComplete="current-password"
              required
              value={currentPassword}
              onChange={(e) => setCurrent(e.currentTarget.value)}
            />
            <TextInput
              {...form.field('newPassword')}
              label={LABELS.newPassword}
              type="password"
              autoComplete="new-password"
              description="At least 10 characters. Your other sessions will be signed out."
              required
              value={newPassword}
              onChange={(e) => setNew(e.currentTarget.value)}
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
