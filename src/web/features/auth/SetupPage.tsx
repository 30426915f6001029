// First run: create the organization and its first admin.
import { useState } from 'react';
import { Alert, Button, Container, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { Navigate, useNavigate } from '@tanstack/react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SessionView } from '../../../contracts/auth.js';
import { ApiError, errorFor, get, post } from '../../api/client.js';
import { keys } from '../../api/queries.js';
import { errorText } from '../../components/ErrorAlert.js';

const LABELS = {
  organizationName: 'Organization name',
  name: 'Your name',
  email: 'Email',
  password: 'Password',
  timeZone: 'Time zone',
  locale: 'Locale',
} as const;
type Field = keyof typeof LABELS;

export function SetupPage() {
  useDocumentTitle('Set up Servewell');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Record<Field, string>>({
    organizationName: '',
    name: '',
    email: '',
    password: '',
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    locale: navigator.language || 'en-US',
  });
  const status = useQuery({ queryKey: ['setup'], queryFn: () => get<{ needed: boolean }>('/api/setup') });
  const setup = useMutation({
    mutationFn: () => post<SessionView>('/api/setup', values),
    onSuccess: async (session) => {
      queryClient.setQueryData(keys.session, session);
      queryClient.setQueryData(['setup'], { needed: false });
      await navigate({ to: '/queue/$queue', params: { queue: 'open' }, replace: true });
    },
  });

  if (status.data && !status.data.needed) return <Navigate to="/login" replace />;
  const err = setup.error instanceof ApiError ? setup.error : null;
  const fieldError = (f: Field) => errorFor(setup.error, f, LABELS[f]);

  return (
    <Container size={480} py={60}>
      <main>
        <Title order={1} mb="xs">
          Set up Servewell
        </Title>
        <Text mb="lg">Create your organization and the first admin account.</Text>
        <Paper withBorder p="lg">
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              setup.mutate();
            }}
          >
            <Stack>
              {setup.isError && !err?.field && <Alert color="red">{errorText(setup.error)}</Alert>}
              {(Object.keys(LABELS) as Field[]).map((f) => (
                <TextInput
                  key={f}
                  label={LABELS[f]}
                  type={f === 'password' ? 'password' : f === 'email' ? 'email' : 'text'}
                  required={f !== 'timeZone' && f !== 'locale'}
                  description={f === 'password' ? 'At least 10 characters' : undefined}
                  value={values[f]}
                  error={fieldError(f)}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    setValues((s) => ({ ...s, [f]: v }));
                  }}
                />
              ))}
              <Button type="submit" loading={setup.isPending}>
                Create organization
              </Button>
            </Stack>
          </form>
        </Paper>
      </main>
    </Container>
  );
}
