// The public organization (name, locale, time zone) for help-center pages.
import { useQuery } from '@tanstack/react-query';
import { helpcenterApi } from '../../../contracts/helpcenter.js';
import { call } from '../../api/client.js';

export function usePublicOrg(slug: string) {
  return useQuery({
    queryKey: ['public', 'org', slug],
    queryFn: () => call(helpcenterApi.orgBySlug, { params: { org: slug } }),
    staleTime: 5 * 60_000,
  });
}
