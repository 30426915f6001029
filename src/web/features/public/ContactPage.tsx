// The public web form. Errors are listed in a summary that takes focus and links to each
// field; each field carries its own message. A hidden honeypot catches bots.
import { useEffect, useRef, useState } from 'react';
import { Alert, Anchor, Button, Loader, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useParams } from '@tanstack/react-router';
import { useMutation } from '@tanstack/react-query';
import type { WebFormBody } from '../../../contracts/helpcenter.js';
import { ApiError, fieldMessage, post } from '../../api/client.js';
import { PublicLayout } from './PublicLayout.js';
import { PublicNotFound } from './PublicNotFound.js';
import { usePublicOrg } from './usePublicOrg.js';
import { AnchorLink } from '../../components/links.js';

const FIELDS = ['name', 'email', 'phone', 'subject', 'message'] as const;
type Field = (typeof FIELDS)[number];
const LABELS: Record<Field, string> = {
  name: 'Your name',
  email: 'Email',
  phone: 'Phone (optional)',
  subject: 'Subject',
  message: 'How can we help?',
};
const fieldId = (f: Field) => `contact-${f}`;
type Errors = Partial<Record<Field, string>>;

// Deliberately simple: the server has the final say; this catches typos early.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function check(v: Record<Field, string>): Errors {
  const e: Errors = {};
  if (!v.name.trim()) e.name = 'Enter your name';
  if (!v.email.trim()) e.email = 'Enter your email address';
  else if (!EMAIL.test(v.email.trim())) e.email = 'Enter a valid email address, like name@example.com';
  if (!v.subject.trim()) e.subject = 'Enter a subject';
  if (!v.message.trim()) e.message = 'Tell us how we can help';
  return e;
}

interface Result {
  reference: string | null;
  statusUrl: string | null;
}

export function ContactPage() {
  const { org: slug } = useParams({ from: '/help/$org/contact' });
  const org = usePublicOrg(slug);
  useDocumentTitle(org.data ? `Contact us · ${org.data.name}` : 'Contact us');
  if (org.isError) return <PublicNotFound title="We could not find this help center" />;
  return (
    <PublicLayout orgName={org.data?.name} slug={slug}>
      {org.isPending ? <Loader aria-label="Loading" /> : <ContactForm slug={slug} />}
    </PublicLayout>
  );
}

function ContactForm({ slug }: { slug: string }) {
  const [values, setValues] = useState<Record<Field, string>>({ name: '', email: '', phone: '', subject: '', message: '' });
  const [website, setWebsite] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [attempt, setAttempt] = useState(0);
  const summaryRef = useRef<HTMLDivElement>(null);
  const thanksRef = useRef<HTMLHeadingElement>(null);

  const send = useMutation({
    mutationFn: (body: WebFormBody) => post<Result>(`/api/public/orgs/${encodeURIComponent(slug)}/cases`, body),
    onError: (err) => {
      if (err instanceof ApiError && err.status === 400 && err.field && (FIELDS as readonly string[]).includes(err.field)) {
        const f = err.field as Field;
        setErrors({ [f]: fieldMessage(err, LABELS[f].replace(' (optional)', '')) });
        setAttempt((n) => n + 1);
      }
    },
  });

  // Move focus where the person needs to look next: the error summary, or the thank-you.
  useEffect(() => {
    if (attempt > 0) summaryRef.current?.focus();
  }, [attempt]);
  useEffect(() => {
    if (send.isSuccess) thanksRef.current?.focus();
  }, [send.isSuccess]);

  if (send.isSuccess) {
    const { reference, statusUrl } = send.data;
    const token = statusUrl ? /\/status\/([A-Za-z0-9_-]+)$/.exec(new URL(statusUrl, window.location.origin).pathname)?.[1] : undefined;
    return (
      <Stack gap="md" maw={640}>
        <Title order={1} ref={thanksRef} tabIndex={-1}>
          Thank you — we have your message
        </Title>
        {reference && (
          <Text size="lg">
            Your reference is <strong>{reference}</strong>.
          </Text>
        )}
        <Text>We will reply by email. Keep the reference in case you call or write to us about it.</Text>
        {token && (
          <AnchorLink to="/status/$token" params={{ token }} fw={600} w="fit-content">
            Follow your case
          </AnchorLink>
        )}
      </Stack>
    );
  }

  const list = FIELDS.filter((f) => errors[f]);
  const rateLimited = send.error instanceof ApiError && send.error.status === 429;
  const otherError = send.isError && !rateLimited && !(send.error instanceof ApiError && send.error.field && list.length);

  const submit = () => {
    const found = check(values);
    setErrors(found);
    if (Object.keys(found).length) {
      setAttempt((n) => n + 1);
      return;
    }
    send.mutate({
      name: values.name,
      email: values.email,
      phone: values.phone || undefined,
      subject: values.subject,
      message: values.message,
      website,
    });
  };

  const input = (f: Field) => ({
    id: fieldId(f),
    label: LABELS[f],
    value: values[f],
    error: errors[f],
    required: f !== 'phone',
    onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
      const v = e.currentTarget.value;
      setValues((s) => ({ ...s, [f]: v }));
    },
  });

  return (
    <Stack gap="md" maw={640}>
      <Title order={1}>Contact us</Title>
      <Text>Tell us what you need and we will get back to you by email. All fields are required except phone.</Text>
      {list.length > 0 && (
        <div
          ref={summaryRef}
          role="alert"
          tabIndex={-1}
          aria-labelledby="error-summary-title"
          style={{ border: '3px solid var(--mantine-color-red-9)', borderRadius: 6, padding: '12px 16px' }}
        >
          <Title order={2} size="h4" id="error-summary-title">
            Please fix the following
          </Title>
          <ul style={{ margin: '8px 0 0', paddingLeft: 20 }}>
            {list.map((f) => (
              <li key={f}>
                <Anchor
                  href={`#${fieldId(f)}`}
                  c="red.9"
                  underline="always"
                  onClick={(e) => {
                    e.preventDefault();
                    document.getElementById(fieldId(f))?.focus();
                  }}
                >
                  {errors[f]}
                </Anchor>
              </li>
            ))}
          </ul>
        </div>
      )}
      {rateLimited && (
        <Alert color="orange" title="Please wait a little" role="alert">
          We have received several messages from you in a short time. Please wait a few minutes and send again.
        </Alert>
      )}
      {otherError && (
        <Alert color="red" title="Your message was not sent" role="alert">
          {send.error instanceof ApiError ? send.error.message : 'Something went wrong. Please try again.'}
        </Alert>
      )}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack gap="md">
          <TextInput {...input('name')} autoComplete="name" />
          <TextInput {...input('email')} type="email" autoComplete="email" />
          <TextInput {...input('phone')} type="tel" autoComplete="tel" />
          <TextInput {...input('subject')} maxLength={200} />
          <Textarea {...input('message')} autosize minRows={5} maxRows={15} maxLength={10000} />
          <div className="honeypot" aria-hidden="true">
            <label htmlFor="contact-website">Leave this field empty</label>
            <input
              id="contact-website"
              name="website"
              type="text"
              tabIndex={-1}
              autoComplete="off"
              value={website}
              onChange={(e) => setWebsite(e.currentTarget.value)}
            />
          </div>
          <Button type="submit" loading={send.isPending} w="fit-content" size="md">
            Send message
          </Button>
        </Stack>
      </form>
    </Stack>
  );
}
