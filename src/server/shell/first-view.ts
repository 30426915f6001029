// The desk's first view, sent inside the page shell. A signed-in person who opens a queue sees
// its first page in the HTML itself: on a slow line the desk's scripts take seconds to arrive,
// and until they do the queue is there to read, and its links (cases, other queues) work as
// plain links. The page also carries the same data as JSON, so the web app, once loaded, starts
// from it (src/web/main.tsx) instead of asking again for the session and that page.
//
// What is rendered is exactly what the API would answer this person: the session is resolved as
// for any request, and the page comes from the same `listQueue` with the same scope.
import { formatDistanceStrict } from 'date-fns';
import {
  PRIORITY_LABELS,
  QUEUES,
  QUEUE_LABELS,
  QueueQuery,
  STATUS_LABELS,
  defaultQueue,
  type CaseSummary,
  type Queue,
  type QueuePage,
} from '../../contracts/cases.js';
import type { SessionView } from '../../contracts/auth.js';
import { resolveSession, sessionView } from '../auth/api.js';
import { listQueue } from '../cases/api.js';
import type { Platform } from '../platform/context.js';

/** Everything the first view shows, and what the web app is handed to start from. */
export interface FirstView {
  session: SessionView;
  queue: Queue;
  page: QueuePage;
}

/** The id of the JSON block the web app reads (src/web/api/boot.ts). */
export const BOOT_ID = 'sw-boot';

const isQueue = (v: string): v is Queue => (QUEUES as readonly string[]).includes(v);

/**
 * The first view of a queue for the person behind `token`, or null where there is none to show
 * (no valid session, an unknown queue): the page then goes out as the bare shell, and the web
 * app signs in or says "not found" as it always has.
 */
export async function queueFirstView(
  p: Platform,
  token: string | undefined,
  /** A queue's name, or null for the person's own first queue (the desk's "/"). */
  name: string | null,
): Promise<FirstView | null> {
  if (!token || token.length > 100 || (name !== null && !isQueue(name))) return null;
  const found = await resolveSession(p, token);
  if (!found) return null;
  const queue = name ?? defaultQueue(found.actor.role);
  // The web app's first request for a queue, as it sends it (QueuePage: no filters, 50 a page).
  const query = QueueQuery.parse({ queue, limit: 50 });
  const [session, page] = await Promise.all([sessionView(p, found.actor.userId), listQueue(p, found.actor, query)]);
  return { session, queue, page };
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/**
 * JSON inside a <script> element: `<` is written as \u003c, so no value (a subject reading
 * `</script>`) can end the element; U+2028 and U+2029 likewise, for older parsers.
 */
export const scriptJson = (v: unknown) =>
  JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

function when(ms: number, now: number, dt: Intl.DateTimeFormat): string {
  const words = now - ms < 45_000 ? 'just now' : `${formatDistanceStrict(ms, now)} ago`;
  return `<time datetime="${new Date(ms).toISOString()}" title="${esc(dt.format(ms))}">${words}</time>`;
}

function row(c: CaseSummary, now: number, dt: Intl.DateTimeFormat): string {
  const tags = c.tags.length ? `<span class="sw-fv-tags">${c.tags.map((t) => `<span>${esc(t)}</span>`).join('')}</span>` : '';
  const cells = [
    ['Reference', `<span class="sw-fv-ref">${esc(c.ref)}</span>`],
    ['Subject', `<a href="/cases/${encodeURIComponent(c.ref)}">${esc(c.subject)}</a>${tags}`],
    ['Patron', esc(c.patron?.name ?? '—')],
    ['Status', esc(STATUS_LABELS[c.status])],
    ['Priority', esc(PRIORITY_LABELS[c.priority])],
    ['Team', esc(c.team?.name ?? '—')],
    ['Assignee', c.assignee ? esc(c.assignee.name) : '<span class="sw-fv-dim">Unassigned</span>'],
    ['Last activity', when(c.lastActivityAt, now, dt)],
  ];
  return `<tr class="data-row">${cells.map(([h, v]) => `<td data-label="${h}">${v}</td>`).join('')}</tr>`;
}

/** The queue as HTML: the desk's frame (header, the queues), the heading and the first page. */
export function renderFirstView(v: FirstView, now = Date.now()): string {
  const { org, user } = v.session;
  const dt = new Intl.DateTimeFormat(org.locale, { timeZone: org.timeZone, dateStyle: 'medium', timeStyle: 'short' });
  const nav = QUEUES.map((q) => {
    const current = q === v.queue ? ' aria-current="page"' : '';
    return `<li><a href="/queue/${q}"${current}>${esc(QUEUE_LABELS[q])}</a></li>`;
  }).join('');
  const heads = ['Reference', 'Subject', 'Patron', 'Status', 'Priority', 'Team', 'Assignee', 'Last activity'];
  const list = v.page.items.length
    ? `<div class="sw-fv-scroll" role="region" aria-label="Cases" tabindex="0"><table aria-label="Cases"><thead><tr>${heads
        .map((h) => `<th scope="col">${h}</th>`)
        .join('')}</tr></thead><tbody>${v.page.items.map((c) => row(c, now, dt)).join('')}</tbody></table></div>`
    : '<p role="status" class="sw-fv-empty">No cases match these filters.</p>';
  return (
    `<div class="sw-fv"><a href="#main-content" class="skip-link">Skip to main content</a>` +
    `<header class="sw-fv-header"><span class="sw-fv-org">${esc(org.name)}</span><span class="sw-fv-user">${esc(user.name)}</span></header>` +
    `<nav class="sw-fv-nav" aria-label="Desk"><p>Queues</p><ul>${nav}</ul></nav>` +
    `<main id="main-content" class="sw-fv-main" tabindex="-1"><h1>${esc(QUEUE_LABELS[v.queue])}</h1>${list}</main></div>`
  );
}

/**
 * Looks of the first view, close to the desk's (Mantine's AppShell: a 60 px header, a 250 px
 * navigation from 768 px up), so the web app's arrival moves as little as possible. On a phone
 * the rows are cards, as the desk's are.
 */
const STYLE = `<style>
.sw-fv{font-family:var(--mantine-font-family,system-ui,sans-serif);font-size:14px;color:#000}
.sw-fv-header{position:fixed;inset:0 0 auto 0;height:60px;box-sizing:border-box;display:flex;align-items:center;justify-content:space-between;gap:16px;padding:0 16px;background:#fff;border-bottom:1px solid #dee2e6;z-index:2}
.sw-fv-org{font-weight:700;font-size:18px;overflow:hidden;white-space:nowrap;text-overflow:ellipsis;max-width:260px}
.sw-fv-nav{display:none}
.sw-fv-nav p{margin:0;padding:4px 12px;font-size:12px;font-weight:700;text-transform:uppercase;color:#495057}
.sw-fv-nav ul{list-style:none;margin:0;padding:0}
.sw-fv-nav a{display:block;padding:8px 12px;color:#000;text-decoration:none;border-radius:4px}
.sw-fv-nav a[aria-current]{background:#e7f5ff;font-weight:500}
.sw-fv-main{padding:76px 16px 16px;outline:none}
.sw-fv-main h1{font-size:34px;line-height:1.3;margin:0 0 16px}
.sw-fv-scroll{overflow-x:auto}
.sw-fv table{border-collapse:collapse;width:100%;min-width:960px}
.sw-fv th{text-align:left;font-weight:700;padding:10px;border-bottom:1px solid #dee2e6}
.sw-fv td{padding:10px;border-bottom:1px solid #dee2e6;vertical-align:top}
.sw-fv td a{color:#1864ab;font-weight:500;text-decoration:none}
.sw-fv-ref{font-family:ui-monospace,monospace;white-space:nowrap}
.sw-fv-tags{display:flex;gap:4px;margin-top:4px}
.sw-fv-tags span{border:1px solid #adb5bd;border-radius:32px;padding:0 6px;font-size:10px}
.sw-fv-dim{color:#495057}
@media (min-width:768px){.sw-fv-nav{display:block;position:fixed;top:60px;bottom:0;left:0;width:250px;box-sizing:border-box;padding:8px;border-right:1px solid #dee2e6;background:#fff}.sw-fv-main{margin-left:250px}}
@media (max-width:767px){.sw-fv table,.sw-fv tbody{display:block;min-width:0}.sw-fv thead{display:none}.sw-fv tr{display:block;border:1px solid #dee2e6;border-radius:4px;padding:10px;margin-bottom:8px}.sw-fv td{display:inline-block;border:0;padding:2px 12px 2px 0}.sw-fv td:nth-child(2){display:block}.sw-fv td:nth-child(n+3)::before{content:attr(data-label) ": ";color:#495057}.sw-fv td:nth-child(6){display:none}}
</style>`;

const STYLESHEETS = /<link rel="stylesheet"[^>]*>\s*/g;

/**
 * The shell with the first view inside its root element and its data beside it. The desk's
 * stylesheets move from the head to after the first view: a stylesheet in the head holds back
 * the whole page until it has arrived, one in the body only what follows it. The first view
 * brings its own few rules, so it shows as soon as the page itself has come; the scripts still
 * wait for the stylesheets before they run.
 */
export function shellWithFirstView(
  shell: string,
  v: FirstView,
  screen: { scripts: string[]; styles: string[] } = { scripts: [], styles: [] },
): string {
  const boot = `<script type="application/json" id="${BOOT_ID}">${scriptJson(v)}</script>`;
  const sheets =
    (shell.match(STYLESHEETS) ?? []).map((l) => l.trim()).join('') +
    screen.styles.map((href) => `<link rel="stylesheet" crossorigin href="${esc(href)}">`).join('');
  // The queue screen's own scripts, asked for at once beside the entry's (routes.ts: filesOf).
  const preloads = screen.scripts.map((href) => `<link rel="modulepreload" fetchpriority="low" crossorigin href="${esc(href)}">`).join('');
  // Functions, not strings, as replacements: a subject holding `$&` must stay as typed.
  return shell
    .replace(STYLESHEETS, '')
    .replace('</head>', () => `${preloads}${STYLE}</head>`)
    .replace('<div id="root"></div>', () => `<div id="root">${renderFirstView(v)}</div>${sheets}${boot}`);
}
