/// <reference types="vite/client" />
// Every feature's declarations (features/<name>/feature.ts(x), see define.ts), found at build
// time: the side navigation and the live-update hook read them here, so adding a feature edits
// neither. Keep feature files light (labels, links, small nav blocks): they load with the desk.
import type { QueryKey } from '@tanstack/react-query';
import type { Role } from '../../contracts/common.js';
import type { Feature, LiveContext, LiveEventOf, LiveEventType, NavItem, NavLinkItem } from './define.js';

const found = import.meta.glob<{ feature?: Feature }>('./*/feature.{ts,tsx}', { eager: true });

export const features: readonly Feature[] = Object.entries(found).map(([path, mod]) => {
  if (!mod.feature) throw new Error(`${path} must export \`feature\` (defineFeature)`);
  // A feature file copied from another folder and not yet renamed would show twice.
  if (!path.startsWith(`./${mod.feature.id}/`)) throw new Error(`${path} declares the id "${mod.feature.id}"`);
  return mod.feature;
});

const navIds = features.flatMap((f) => (f.nav ?? []).map((n) => n.id));
const twice = navIds.filter((id, i) => navIds.indexOf(id) !== i);
if (twice.length) throw new Error(`side-nav ids declared twice: ${twice.join(', ')}`);

const sees = (role: Role) => (item: NavItem) => !item.roles || item.roles.includes(role);

/** The side navigation for a role, in order. */
export function navFor(role: Role): NavItem[] {
  return features
    .flatMap((f) => f.nav ?? [])
    .filter(sees(role))
    .sort((a, b) => a.order - b.order);
}

export const isNavLink = (item: NavItem): item is NavLinkItem => 'link' in item;

/** Every feature's reaction to one type of event. */
export function liveHandlersFor<T extends LiveEventType>(
  type: T,
): Array<(event: LiveEventOf<T>, ctx: LiveContext) => readonly QueryKey[] | void> {
  return features.flatMap((f) => {
    const h = f.live?.[type];
    return h ? [h] : [];
  });
}

/** The event types some feature listens to: the live stream subscribes to these. */
export const liveEventTypes: readonly LiveEventType[] = [
  ...new Set(features.flatMap((f) => Object.keys(f.live ?? {}) as LiveEventType[])),
];
