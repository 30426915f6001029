// The method and path of each endpoint the public pages call, with no zod: the endpoints with
// their schemas (helpcenter.ts, staffing.ts, auth.ts) are built from these, and the public pages
// call them through typed handles (web/features/public/api.ts) without loading zod at all.
export const ROUTES = {
  csrf: { method: 'GET', path: '/api/csrf' },
  publicOrg: { method: 'GET', path: '/api/public/org' },
  publicOrgBySlug: { method: 'GET', path: '/api/public/orgs/:org' },
  submitForm: { method: 'POST', path: '/api/public/orgs/:org/cases' },
  status: { method: 'GET', path: '/api/public/status/:token' },
  statusReply: { method: 'POST', path: '/api/public/status/:token/messages' },
  publicSlots: { method: 'GET', path: '/api/public/orgs/:org/slots' },
  publicBook: { method: 'POST', path: '/api/public/orgs/:org/bookings' },
} as const;

/**
 * The public pages' addresses (the help center, its forms, a patron's status page): the server
 * sends them the public shell (web/help.html), which carries neither the desk nor its router.
 */
export const PUBLIC_PAGE = /^\/(help(?:[/?#]|$)|status\/)/;
