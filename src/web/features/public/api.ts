// The endpoints the public pages call, as zod-free routes typed from the contracts' endpoints:
// a patron's first load carries no zod (bench/web.ts; src/web/public-bundle.test.ts).
import { routeOf } from '../../../contracts/endpoint.js';
import type { helpcenterApi } from '../../../contracts/helpcenter.js';
import { ROUTES } from '../../../contracts/routes.js';
import type { staffingApi } from '../../../contracts/staffing.js';

type Help = typeof helpcenterApi;
type Staffing = typeof staffingApi;

export const publicApi = {
  org: routeOf<Help['org']>(ROUTES.publicOrg),
  orgBySlug: routeOf<Help['orgBySlug']>(ROUTES.publicOrgBySlug),
  submitForm: routeOf<Help['submitForm']>(ROUTES.submitForm),
  status: routeOf<Help['status']>(ROUTES.status),
  statusReply: routeOf<Help['statusReply']>(ROUTES.statusReply),
  slots: routeOf<Staffing['publicSlots']>(ROUTES.publicSlots),
  book: routeOf<Staffing['publicBook']>(ROUTES.publicBook),
};
