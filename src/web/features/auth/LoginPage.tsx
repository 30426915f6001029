// Sign in. On an empty install the setup form takes its place.
import { useState } from 'react';
import { Button, Container, NativeSelect, Paper, Stack, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { Navigate, useNavigate, useSearch } from '@tanstack/react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { LoginBody, authApi, type LoginBodyInput } from '../../../contracts/auth.js';
import { ApiError, call } from '../../api/client.js';
import { keys } from '../../api/queries.js';
import { FormErrors, useFormErrors } from '../../components/FormErrors.js';

const LABELS = { email: 'Email', password: 'Password', organization: 'Organization' } as const;

export function LoginPage() {
  useDocumentTitle('Sign in · Servewell');
  const { redirect } = useSearch({ from: '/login' });
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  // Shown once the server says this email and password open accounts in several organizations
  // (a 400 naming `organization`, listing them as "Name (slug)").
  const [orgChoices, setOrgChoices] = useState<Array<{ value: string; label: string }> | null>(null);
  const [organization, setOrganization] = useState('');
  const setup = useQuery({ queryKey: ['setup'], queryFn: () => call(authApi.setupStatus) });
  const form = useFormErrors(LoginBody, LABELS);
  const login = useMutation({
    mutationFn: (body: LoginBodyInput) => call(authApi.login, { body }),
    onError: (e) => {
      if (e instanceof ApiError && e.field === 'organization') {
        const listed = e.message.slice(e.message.indexOf('accounts in ') + 'accounts in '.length);
        const choices = [...listed.matchAll(/(.+?) \(([a-z0-9-]+)\)(?:, |$)/g)].map((m) => ({
          value: m[2]!,
          label: m[1]!.trim(),
        }));
        setOrgChoices(choices);
      }
      form.fail(e);
    },
    onSuccess: async (session) => {
      queryClient.setQueryData(keys.session, session);
      if (redirect) await navigate({ href: redirect, replace: true });
      else await navigate({ to: '/', replace: true });
    },
  });

  if (setup.data?.needed) return <Navigate to="/setup" replace />;

  return (
    <Container size={420} py={80}>
      <main>
        <Title order={1} ta="center" mb="lg">
          Sign in to Servewell
        </Title>
        <Paper withBorder shadow="sm" p="lg" radius="md">
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              const body = form.check({ email, password, ...(orgChoices && organization ? { organization } : {}) });
              if (body) login.mutate(body);
            }}
          >
            <Stack>
              <FormErrors form={form} title="Could not sign in" />
              <TextInput
                {...form.field('email')}
                label={LABELS.email}
                type="email"
                autoComplete="username"
                required
                value={email}
                onChange={(e) => setEmail(e.currentTarget.value)}
                data-autofocus
                autoFocus
              />
              <TextInput
                {...form.field('password')}
                label={LABELS.password}
                type="password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
              />
              {orgChoices && (
                <NativeSelect
                  {...form.field('organization')}
                  label={LABELS.organization}
                  required
                  value={organization}
                  onChange={(e) => setOrganization(e.currentTarget.value)}
                  data={[{ value: '', label: 'Choose an organization' }, ...orgChoices]}
                />
              )}
              <Button type="submit" loading={login.isPending} fullWidth>
                Sign in
              </Button>
            </Stack>
          </form>
        </Paper>
      </main>
    </Container>
  );
}
