// The side navigation: whatever the features declare (features/*/feature.ts), for this role,
// in order. Links of one group sit under its heading; a block draws itself.
import { Fragment } from 'react';
import { Badge, Divider, Stack, Text } from '@mantine/core';
import { useMatchRoute } from '@tanstack/react-router';
import { useSession } from '../api/queries.js';
import { formatters } from '../lib/format.js';
import type { NavLinkItem } from '../features/define.js';
import { isNavLink, navFor } from '../features/registry.js';
import { NavLinkLink } from './links.js';

export function SideNav({ onNavigate }: { onNavigate: () => void }) {
  const { user } = useSession();
  const items = navFor(user.role);
  return (
    <Stack gap={2}>
      {items.map((item, i) => {
        if (!isNavLink(item)) return <item.component key={item.id} onNavigate={onNavigate} />;
        const before = items[i - 1];
        const starts = !before || !isNavLink(before) || before.group !== item.group;
        return (
          <Fragment key={item.id}>
            {starts && i > 0 && <Divider my="xs" />}
            {starts && item.group && (
              <Text size="xs" fw={700} tt="uppercase" c="dimmed" px="sm" py={4}>
                {item.group}
              </Text>
            )}
            <NavEntry item={item} onNavigate={onNavigate} />
          </Fragment>
        );
      })}
    </Stack>
  );
}

function NavEntry({ item, onNavigate }: { item: NavLinkItem; onNavigate: () => void }) {
  const matchRoute = useMatchRoute();
  return (
    <NavLinkLink
      {...item.link}
      label={item.label}
      active={Boolean(matchRoute({ to: item.link.to, params: item.link.params }))}
      onClick={onNavigate}
      rightSection={item.useBadge ? <Count useCount={item.useBadge} /> : null}
    />
  );
}

function Count({ useCount }: { useCount: () => number | undefined }) {
  const { org } = useSession();
  const n = useCount();
  if (n === undefined) return null;
  return (
    <Badge size="sm" variant="light" color="gray" c="dark">
      {formatters(org).number(n)}
    </Badge>
  );
}
