// The public web form, checked with the rules the server's schema is built from: every problem
// is listed in a summary that takes focus and links to each field, and each field carries its
// own message. A hidden honeypot catches bots.
import { useEffect, useRef, useState } from 'react';
import { Anchor, Button, Loader, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { WEB_FORM, type FormInput } from '../../../contracts/form-rules.js';
import { ApiError, call } from '../../api/client.js';
import { FormErrors, useFormErrors } from '../../components/FormErrors.js';
import { publicApi } from './api.js';
import { usePageParams } from './place.js';
import { useSend } from './requests.js';
import { PublicLayout } from './PublicLayout.js';
import { PublicNotFound } from './PublicNotFound.js';
import { usePublicOrg } from './usePublicOrg.js';
import { useFields } from '../../lib/fields.js';

/** How each field is named in a message ("Your message must not be empty"). */
const LABELS = {
  name: 'Your name',
  email: 'Email',
  phone: 'Phone',
  subject: 'Subject',
  message: 'Your message',
} as const;
type Field = keyof typeof LABELS;
/** How each field is labelled on the page. */
const SHOWN: Record<Field, string> = { ...LABELS, phone: 'Phone (optional)', message: 'How can we help?' };

const RATE_LIMITED = 'We have received several messages from you in a short time. Please wait a few minutes and send again.';

export function ContactPage() {
  const { org: slug } = usePageParams<'org'>();
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
  const { values, onChange } = useFields<Record<Field, string>>({ name: '', email: '', phone: '', subject: '', message: '' });
  const [website, setWebsite] = useState('');
  const thanksRef = useRef<HTMLHeadingElement>(null);
  const form = useFormErrors(WEB_FORM, LABELS);

  const send = useSend((body: FormInput<typeof WEB_FORM>) => call(publicApi.submitForm, { params: { org: slug }, body }), {
    onError: (e) => form.fail(e, e instanceof ApiError && e.status === 429 ? RATE_LIMITED : undefined),
  });

  // Once sent, the thank-you is where the person needs to look next.
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
          <Anchor href={`/status/${token}`} fw={600} w="fit-content">
            Follow your case
          </Anchor>
        )}
      </Stack>
    );
  }

  const submit = () => {
    const body = form.check({ ...values, website });
    if (body) send.mutate(body);
  };

  const input = (f: Field) => ({
    ...form.field(f),
    label: SHOWN[f],
    value: values[f],
    required: f !== 'phone',
    onChange: onChange(f),
  });

  return (
    <Stack gap="md" maw={640}>
      <Title order={1}>Contact us</Title>
      <Text>Tell us what you need and we will get back to you by email. All fields are required except phone.</Text>
      <FormErrors form={form} title="Your message was not sent" />
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack gap="md">
          <TextInput {...input('name')} autoComplete="name" maxLength={120} />
          <TextInput {...input('email')} type="email" autoComplete="email" maxLength={254} />
          <TextInput {...input('phone')} type="tel" autoComplete="tel" maxLength={40} />
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
