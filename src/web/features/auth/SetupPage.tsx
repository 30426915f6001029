// First run: create the organization and its first admin.
import { Button, Container, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { Navigate, useNavigate } from '@tanstack/react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { SetupBody, authApi, type SetupBodyInput } from '../../../contracts/auth.js';
import { call } from '../../api/client.js';
import { keys } from '../../api/queries.js';
import { FormErrors, useFormErrors } from '../../components/FormErrors.js';
import { useFields } from '../../lib/fields.js';

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
  const { values, onChange } = useFields<Record<Field, string>>({
    organizationName: '',
    name: '',
    email: '',
    password: '',
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    locale: navigator.language || 'en-US',
  });
  const status = useQuery({ queryKey: ['setup'], queryFn: () => call(authApi.setupStatus) });
  const form = useFormErrors(SetupBody, LABELS);
  const setup = useMutation({
    mutationFn: (body: SetupBodyInput) => call(authApi.setup, { body }),
    onError: (e) => form.fail(e),
    onSuccess: async (session) => {
      queryClient.setQueryData(keys.session, session);
      // Away from this page first: marked done while it still shows, it would send the new
      // admin, signed in, on to the login page.
      await navigate({ to: '/queue/$queue', params: { queue: 'open' }, replace: true });
      queryClient.setQueryData(['setup'], { needed: false });
    },
  });

  if (status.data && !status.data.needed) return <Navigate to="/login" replace />;

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
              const body = form.check(values);
              if (body) setup.mutate(body);
            }}
          >
            <Stack>
              <FormErrors form={form} title="The organization was not created" />
              {(Object.keys(LABELS) as Field[]).map((f) => (
                <TextInput
                  key={f}
                  {...form.field(f)}
                  label={LABELS[f]}
                  type={f === 'password' ? 'password' : f === 'email' ? 'email' : 'text'}
                  required={f !== 'timeZone' && f !== 'locale'}
                  description={f === 'password' ? 'At least 10 characters' : undefined}
                  value={values[f]}
                  onChange={onChange(f)}
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
