// Sign in. On an empty install the setup form takes its place.
import { useState } from 'react';
import { Alert, Button, Container, Paper, Stack, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { Navigate, useNavigate, useSearch } from '@tanstack/react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SessionView } from '../../../contracts/auth.js';
import { get, post } from '../../api/client.js';
import { keys } from '../../api/queries.js';
import { errorText } from '../../components/ErrorAlert.js';

export interface LoginSearch {
  redirect?: string;
}

/** Only same-site paths: an open redirect after sign-in would be a phishing aid. */
export function validateLoginSearch(raw: Record<string, unknown>): LoginSearch {
  const r = raw.redirect;
  return typeof r === 'string' && r.startsWith('/') && !r.startsWith('//') && !r.startsWith('/login')
    ? { redirect: r }
    : {};
}

export function LoginPage() {
  useDocumentTitle('Sign in · Servewell');
  const { redirect } = useSearch({ from: '/login' });
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const setup = useQuery({ queryKey: ['setup'], queryFn: () => get<{ needed: boolean }>('/api/setup') });
  const login = useMutation({
    mutationFn: () => post<SessionView>('/api/auth/login', { email, password }),
    onSuccess: async (session) => {
      queryClient.setQueryData(keys.session, session);
      if (redirect) await navigate({ href: redirect, replace: true });
      else await navigate({ to: '/queue/$queue', params: { queue: 'open' }, replace: true });
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
              login.mutate();
            }}
          >
            <Stack>
              {login.isError && (
                <Alert color="red" title="Could not sign in">
                  {errorText(login.error)}
                </Alert>
              )}
              <TextInput
                label="Email"
                type="email"
                autoComplete="username"
                required
                value={email}
                onChange={(e) => setEmail(e.currentTarget.value)}
                data-autofocus
                autoFocus
              />
              <TextInput
                label="Password"
                type="password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
              />
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
