// What the server sent with the page: the first view of a queue (src/server/shell/first-view.ts)
// carries the session and the queue's first page as JSON, so the desk starts from them instead
// of asking again. Read once; absent on every other page.
import type { QueryClient } from '@tanstack/react-query';
import type { SessionView } from '../../contracts/auth.js';
import { defaultQueue, type Queue, type QueuePage } from '../../contracts/cases.js';
import { queueListKey } from '../features/queue/filters.js';
import { keys } from './queries.js';

interface Boot {
  session: SessionView;
  queue: Queue;
  page: QueuePage;
}

/** Must match BOOT_ID on the server. */
const BOOT_ID = 'sw-boot';

function readBoot(): Boot | null {
  const el = document.getElementById(BOOT_ID);
  if (!el?.textContent) return null;
  el.remove();
  try {
    return JSON.parse(el.textContent) as Boot;
  } catch {
    return null;
  }
}

/**
 * The server sent the stylesheets after the first view, so that it could show before they came
 * (src/server/shell/first-view.ts). Back to the head, first, where the desk's own styles expect
 * them: Mantine writes the theme's colours in a style element of its own, and a stylesheet after
 * it would put Mantine's default colours back (too pale to read: 3.3:1). The scripts run only
 * once the stylesheets have loaded, so moving them fetches nothing again.
 */
function restoreStylesheets() {
  const sheets = document.body.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]');
  document.head.prepend(...sheets);
}

/**
 * Puts the page's data where the screens look for it. True when there was a first view on
 * screen: the desk then draws only once its route is ready, so the queue never gives way to a
 * blank page or a spinner.
 */
export function seedFromPage(queryClient: QueryClient): boolean {
  const boot = readBoot();
  if (!boot) return false;
  restoreStylesheets();
  // The first view is of the queue as it opens (no filters), or of the person's first queue at
  // "/" (the router then moves to its address); a different address is not it.
  const at = location.pathname === `/queue/${boot.queue}` || (location.pathname === '/' && boot.queue === defaultQueue(boot.session.user.role));
  if (!at || location.search) return false;
  queryClient.setQueryData(keys.session, boot.session);
  queryClient.setQueryData(queueListKey(boot.queue, {}), { pages: [boot.page], pageParams: [undefined] });
  return true;
}
