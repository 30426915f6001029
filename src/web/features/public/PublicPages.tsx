// The public pages by address: the help center, its forms and a patron's status page. They are
// the build's second entry (help.html, public-main.tsx), without the desk and without a router
// library: the address is matched once here, and links between public pages are plain links
// (a new load of a small shell whose scripts the browser has already cached).
import { useMemo, useState, type ComponentType } from 'react';
import { PublicBookPage } from '../staffing/PublicBookPage.js';
import { ContactPage } from './ContactPage.js';
import { HelpHome } from './HelpHome.js';
import { HelpRedirect } from './HelpRedirect.js';
import { PublicNotFound } from './PublicNotFound.js';
import { StatusPage } from './StatusPage.js';
import { PublicPlaceContext, type PublicPlace } from './place.js';

const PAGES: ReadonlyArray<readonly [pattern: string, page: ComponentType]> = [
  ['/help', HelpRedirect],
  ['/help/:org', HelpHome],
  ['/help/:org/contact', ContactPage],
  ['/help/:org/book', PublicBookPage],
  ['/status/:token', StatusPage],
];

const segments = (path: string) => path.split('/').filter(Boolean);

/** The page for an address and the params it gives (`/help/:org` on `/help/riverside`). */
export function matchPage(pathname: string): { page: ComponentType; params: Record<string, string> } | null {
  const parts = segments(pathname);
  for (const [pattern, page] of PAGES) {
    const want = segments(pattern);
    if (want.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const fits = want.every((w, i) => {
      if (!w.startsWith(':')) return w === parts[i];
      try {
        params[w.slice(1)] = decodeURIComponent(parts[i]!);
        return true;
      } catch {
        return false; // a malformed %-escape: no page of ours
      }
    });
    if (fits) return { page, params };
  }
  return null;
}

export function PublicPages() {
  const [path, setPath] = useState(() => window.location.pathname);
  const match = useMemo(() => matchPage(path), [path]);
  const place = useMemo<PublicPlace>(
    () => ({
      params: match?.params ?? {},
      replace: (to) => {
        window.history.replaceState(null, '', to);
        setPath(to);
      },
    }),
    [match],
  );
  if (!match) return <PublicNotFound title="Page not found" />;
  const Page = match.page;
  return (
    <PublicPlaceContext.Provider value={place}>
      <Page />
    </PublicPlaceContext.Provider>
  );
}
