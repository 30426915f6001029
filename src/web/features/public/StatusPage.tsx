// A patron's private case page: the status in words, the conversation, and a reply box.
import { useState } from 'react';
import { Button, Loader, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { STATUS_LABELS, type Status } from '../../../contracts/case-status.js';
import { STATUS_REPLY, type FormInput } from '../../../contracts/form-rules.js';
import type { StatusView } from '../../../contracts/helpcenter.js';
import { ApiError, call } from '../../api/client.js';
import { FormErrors, useFormErrors } from '../../components/FormErrors.js';
import { formatters } from '../../lib/formatters.js';
import { publicApi } from './api.js';
import { usePageParams } from './place.js';
import { useLoad, useSend, type Loaded } from './requests.js';
import { PublicLayout } from './PublicLayout.js';
import { PublicNotFound } from './PublicNotFound.js';

const MEANING: Record<Status, string> = {
  new: 'We have your message and will answer soon.',
  open: 'We are working on it.',
  waiting: 'We are waiting for your reply.',
  promised: 'We have promised you an answer and are working on it.',
  resolved: 'We believe this is sorted. Reply below if anything is still missing.',
  closed: 'This case is closed. Writing again reopens it.',
};

const REPLY_LABELS = { message: 'Your reply' } as const;
const RATE_LIMITED = 'You have sent several messages in a short time. Please wait a few minutes and try again.';

export function StatusPage() {
  const { token } = usePageParams<'token'>();
  // A reply from the desk shows up on its own: a short poll while the page is in view
  // (patrons hold no session, so the staff's live stream is not theirs).
  const query = useLoad(token, () => call(publicApi.status, { params: { token } }), { retry: false, every: 15_000 });
  useDocumentTitle(query.data ? `${query.data.reference}: ${query.data.subject}` : 'Your case');
  if (query.isError) {
    const missing = query.error instanceof ApiError && (query.error.status === 404 || query.error.status === 400);
    return (
      <PublicNotFound title={missing ? 'We could not find this case' : 'This page could not be loaded'}>
        <Text>
          {missing
            ? 'The link may be incomplete. Copy the whole link from our email, or contact us and give your reference.'
            : 'Please try again in a moment.'}
        </Text>
      </PublicNotFound>
    );
  }
  if (query.isPending) {
    return (
      <PublicLayout>
        <Loader aria-label="Loading your case" />
      </PublicLayout>
    );
  }
  return <CaseStatus view={query.data} show={query.set} token={token} />;
}

function CaseStatus({ view, show, token }: { view: StatusView; show: Loaded<StatusView>['set']; token: string }) {
  const f = formatters(view.organization);
  const [message, setMessage] = useState('');
  const [sent, setSent] = useState(false);
  const form = useFormErrors(STATUS_REPLY, REPLY_LABELS);
  const reply = useSend((body: FormInput<typeof STATUS_REPLY>) => call(publicApi.statusReply, { params: { token }, body }), {
    onSuccess: (next) => {
      show(next);
      setMessage('');
      setSent(true);
    },
    onError: (e) => form.fail(e, e instanceof ApiError && e.status === 429 ? RATE_LIMITED : undefined),
  });

  return (
    <PublicLayout orgName={view.organization.name} slug={view.organization.slug}>
      <Stack gap="lg" maw={720}>
        <Stack gap={4}>
          <Title order={1}>
            {view.reference}: {view.subject}
          </Title>
          <Text>Opened {f.dateTime(view.createdAt)}</Text>
        </Stack>
        <Paper withBorder p="md">
          <Text fw={700}>Status: {STATUS_LABELS[view.status]}</Text>
          <Text>{MEANING[view.status]}</Text>
        </Paper>
        <section aria-labelledby="conversation-heading">
          <Title order={2} size="h3" id="conversation-heading" mb="sm">
            Conversation
          </Title>
          <Stack component="ol" gap="sm" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {view.entries.map((e) => (
              <Paper
                component="li"
                key={e.id}
                p="md"
                withBorder
                style={{ background: e.from === 'you' ? '#f8f9fa' : '#e7f5ff', borderColor: e.from === 'you' ? '#dee2e6' : '#a5d8ff' }}
              >
                <Text fw={700} size="sm">
                  {e.from === 'you' ? 'You' : e.authorName}
                  <Text span fw={400} size="sm">
                    {' · '}
                    <time dateTime={new Date(e.createdAt).toISOString()}>{f.dateTime(e.createdAt)}</time>
                  </Text>
                </Text>
                <Text mt={4} className="pre-wrap">
                  {e.body}
                </Text>
              </Paper>
            ))}
          </Stack>
        </section>
        <section aria-labelledby="reply-heading">
          <Title order={2} size="h3" id="reply-heading" mb="sm">
            Reply
          </Title>
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              setSent(false);
              const body = form.check({ message });
              if (body) reply.mutate(body);
            }}
          >
            <Stack gap="sm">
              <FormErrors form={form} title="Your reply was not sent" />
              <Textarea
                {...form.field('message')}
                label={REPLY_LABELS.message}
                required
                autosize
                minRows={4}
                maxRows={12}
                maxLength={10000}
                value={message}
                onChange={(e) => setMessage(e.currentTarget.value)}
              />
              <Button type="submit" loading={reply.isPending} w="fit-content">
                Send reply
              </Button>
              <div role="status">{sent && <Text fw={500}>Thank you. Your reply has been sent.</Text>}</div>
            </Stack>
          </form>
        </section>
      </Stack>
    </PublicLayout>
  );
}
