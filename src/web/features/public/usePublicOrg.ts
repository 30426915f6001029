// The public organization (name, locale, time zone) for help-center pages.
import { useQuery } from '@tanstack/react-query';
import type { PublicOrgView } from '../../../contracts/helpcenter.js';
import { get } from '../../api/client.js';

export function usePublicOrg(slug: string) {
  return useQuery({
    queryKey: ['public', 'org', slug],
    queryFn: () => get<PublicOrgView>(`/api/public/orgs/${encodeURIComponent(slug)}`),
    staleTime: 5 * 60_000,
  });
}
