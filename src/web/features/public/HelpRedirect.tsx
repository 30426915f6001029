// `/help` leads to the help center of the organization this desk serves.
import { useEffect } from 'react';
import { Loader } from '@mantine/core';
import { call } from '../../api/client.js';
import { publicApi } from './api.js';
import { PublicLayout } from './PublicLayout.js';
import { PublicNotFound } from './PublicNotFound.js';
import { usePublicPlace } from './place.js';
import { useLoad } from './requests.js';

export function HelpRedirect() {
  const { replace } = usePublicPlace();
  const org = useLoad('org', () => call(publicApi.org));
  const slug = org.data?.slug;
  useEffect(() => {
    if (slug) replace(`/help/${encodeURIComponent(slug)}`);
  }, [slug, replace]);
  if (org.isError) return <PublicNotFound title="We could not find this help center" />;
  return (
    <PublicLayout>
      <Loader aria-label="Loading" />
    </PublicLayout>
  );
}
