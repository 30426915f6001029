// Where to go after signing in, read from the login page's address by the router.
export interface LoginSearch {
  redirect?: string;
}

/** Only same-site paths: an open redirect after sign-in would be a phishing aid. */
export function validateLoginSearch(raw: Record<string, unknown>): LoginSearch {
  const r = raw.redirect;
  return typeof r === 'string' && r.startsWith('/') && !r.startsWith('//') && !r.startsWith('/login')
    ? { redirect: r }
    : {};
}

