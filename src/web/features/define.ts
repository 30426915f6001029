// How a feature declares what it adds to the desk around its own screens: entries in the side
// navigation and reactions to live events, in `features/<name>/feature.ts(x)`:
//   export const feature = defineFeature({ id: 'promises', nav: [...], live: {...} });
// features/registry.ts finds every such file. (Kept apart from the registry, which imports the
// feature files, so a feature file never imports a module still being evaluated.)
import type { ComponentType } from 'react';
import type { QueryClient, QueryKey } from '@tanstack/react-query';
import type { LinkOptions } from '@tanstack/react-router';
import type { Me } from '../../contracts/auth.js';
import type { Role } from '../../contracts/common.js';
import type { LiveEvent } from '../../contracts/live.js';

interface NavBase {
  /** Unique across features, e.g. `queue.mine`. */
  id: string;
  /** Position in the side navigation, lowest first (queues 100s, views 200s, admin 900s). */
  order: number;
  /** Who sees it; everyone on the staff when left out. */
  roles?: readonly Role[];
}

/** A link, listed with the other links of its group under the group's heading. */
export interface NavLinkItem extends NavBase {
  label: string;
  /** Where it goes; build it with `linkOptions({ to, params })` so the route is checked. */
  link: LinkOptions;
  /** Links with the same group sit together under it as a heading ('' for no heading). */
  group: string;
  /** A count shown beside the label; a hook, called on every render of the entry. */
  useBadge?: () => number | undefined;
}

/** A block that draws itself (a list that changes, like saved views), heading and all. */
export interface NavBlockItem extends NavBase {
  component: ComponentType<{ onNavigate: () => void }>;
}

export type NavItem = NavLinkItem | NavBlockItem;

export type LiveEventType = LiveEvent['type'];
export type LiveEventOf<T extends LiveEventType> = Extract<LiveEvent, { type: T }>;

export interface LiveContext {
  /** Who is signed in here (to tell our own changes from a colleague's). */
  me: Me;
  queryClient: QueryClient;
}

/**
 * What a feature does when an event arrives: returns the query keys to refetch (collected
 * from every feature and refetched together, at most every half second), and may show a
 * notice. Events are small on purpose: the browser refetches what it shows.
 */
export type LiveHandlers = {
  [T in LiveEventType]?: (event: LiveEventOf<T>, ctx: LiveContext) => readonly QueryKey[] | void;
};

export interface Feature {
  /** The folder name. */
  id: string;
  nav?: readonly NavItem[];
  live?: LiveHandlers;
}

/** Declares a feature (typed, returned as is). */
export const defineFeature = (f: Feature): Feature => f;

