// The help form's "book a callback", where the team takes the time: the free slots of the next
// two weeks as a radio list, then name, email, phone and what it is about. Checked with the
// rules the server's schema is built from; a full slot (someone was quicker) says so and the
// list refreshes.
import { useEffect, useRef, useState } from 'react';
import { Alert, Anchor, Button, Loader, Radio, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { BOOKING_FORM, type FormInput } from '../../../contracts/form-rules.js';
import { call } from '../../api/client.js';
import { FormErrors, useFormErrors } from '../../components/FormErrors.js';
import { publicApi } from '../public/api.js';
import { usePageParams } from '../public/place.js';
import { useLoad, useSend } from '../public/requests.js';
import { PublicLayout } from '../public/PublicLayout.js';
import { PublicNotFound } from '../public/PublicNotFound.js';
import { usePublicOrg } from '../public/usePublicOrg.js';
import { useFields } from '../../lib/fields.js';

const LABELS = { slotId: 'Time', name: 'Your name', email: 'Email', phone: 'Phone', message: 'What it is about' } as const;

export function PublicBookPage() {
  const { org: slug } = usePageParams<'org'>();
  const org = usePublicOrg(slug);
  useDocumentTitle(org.data ? `Book a callback · ${org.data.name}` : 'Book a callback');
  if (org.isError) return <PublicNotFound title="We could not find this help center" />;
  return (
    <PublicLayout orgName={org.data?.name} slug={slug}>
      {org.isPending ? <Loader aria-label="Loading" /> : <BookForm slug={slug} locale={org.data.locale} />}
    </PublicLayout>
  );
}

function BookForm({ slug, locale }: { slug: string; locale: string }) {
  const slots = useLoad(slug, () => call(publicApi.slots, { params: { org: slug } }));
  const { values: v, onChange, setValues: setV } = useFields({ slotId: '', name: '', email: '', phone: '', message: '' });
  const [website, setWebsite] = useState('');
  const thanksRef = useRef<HTMLHeadingElement>(null);
  const form = useFormErrors(BOOKING_FORM, LABELS);
  const send = useSend((body: FormInput<typeof BOOKING_FORM>) => call(publicApi.book, { params: { org: slug }, body }), {
    onError: (e) => {
      form.fail(e);
      slots.reload();
    },
  });
  useEffect(() => {
    if (send.isSuccess) thanksRef.current?.focus();
  }, [send.isSuccess]);

  if (slots.isPending) return <Loader aria-label="Loading the free times" />;
  const tz = slots.data?.timeZone ?? 'UTC';
  const when = new Intl.DateTimeFormat(locale, { timeZone: tz, weekday: 'long', day: 'numeric', month: 'long', hour: 'numeric', minute: '2-digit' });
  if (send.isSuccess) {
    return (
      <Stack gap="md" maw={640}>
        <Title order={1} ref={thanksRef} tabIndex={-1}>
          Booked — we will call you
        </Title>
        {send.data.startsAt !== null && <Text size="lg">We will call you on {when.format(send.data.startsAt)}.</Text>}
        {send.data.reference && (
          <Text>
            Your reference is <strong>{send.data.reference}</strong>.
          </Text>
        )}
      </Stack>
    );
  }
  if (!slots.data?.offered || slots.data.items.length === 0) {
    return (
      <Stack gap="md" maw={640}>
        <Title order={1}>Book a callback</Title>
        <Alert color="blue" title={slots.data?.offered ? 'No free times right now' : 'Callbacks are not booked here'}>
          Please send us a message instead and we will answer by email.
        </Alert>
        <Anchor href={`/help/${encodeURIComponent(slug)}/contact`} fw={600} w="fit-content">
          Contact us
        </Anchor>
      </Stack>
    );
  }
  const text = (f: Exclude<keyof typeof LABELS, 'slotId'>) => ({
    ...form.field(f),
    label: f === 'phone' ? 'Phone (we call this number)' : LABELS[f],
    value: v[f],
    required: true,
    onChange: onChange(f),
  });
  return (
    <Stack gap="md" maw={640}>
      <Title order={1}>Book a callback</Title>
      <Text>Choose a time and we will call you then, with the time your question needs. Times are in {tz.replace('_', ' ')}.</Text>
      <FormErrors form={form} title="Your callback was not booked" />
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const body = form.check({ ...v, slotId: v.slotId ? Number(v.slotId) : 0, website });
          if (body) send.mutate(body);
        }}
      >
        <Stack gap="md">
          <Radio.Group {...form.field('slotId')} label="Time" required value={v.slotId} onChange={(slotId) => setV((s) => ({ ...s, slotId }))}>
            <Stack gap={6} mt="xs">
              {slots.data.items.map((s) => (
                <Radio key={s.id} value={String(s.id)} label={`${when.format(s.startsAt)} (${s.lengthMinutes} min)`} />
              ))}
            </Stack>
          </Radio.Group>
          <TextInput {...text('name')} autoComplete="name" maxLength={120} />
          <TextInput {...text('email')} type="email" autoComplete="email" maxLength={254} />
          <TextInput {...text('phone')} type="tel" autoComplete="tel" maxLength={40} />
          <Textarea {...text('message')} autosize minRows={3} maxRows={10} maxLength={2000} />
          <div className="honeypot" aria-hidden="true">
            <label htmlFor="book-website">Leave this field empty</label>
            <input id="book-website" name="website" type="text" tabIndex={-1} autoComplete="off" value={website} onChange={(e) => setWebsite(e.currentTarget.value)} />
          </div>
          <Button type="submit" loading={send.isPending} w="fit-content" size="md">
            Book this time
          </Button>
        </Stack>
      </form>
    </Stack>
  );
}
