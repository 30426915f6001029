// The public organization (name, locale, time zone) for help-center pages.
import { call } from '../../api/client.js';
import { publicApi } from './api.js';
import { useLoad } from './requests.js';

export function usePublicOrg(slug: string) {
  return useLoad(slug, () => call(publicApi.orgBySlug, { params: { org: slug } }));
}
