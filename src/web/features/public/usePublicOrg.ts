// The public organization (name, locale, time zone) for help-center pages.
import { useQuery } from '@tanstack/react-query';
import { call } from '../../api/client.js';
import { publicApi } from './api.js';

export function usePublicOrg(slug: string) {
  return useQuery({
    queryKey: ['public', 'org', slug],
    queryFn: () => call(publicApi.orgBySlug, { params: { org: slug } }),
    staleTime: 5 * 60_000,
  });
}
