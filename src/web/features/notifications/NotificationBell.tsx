// The bell in the header: the unread count (live: a 'notification' event refetches it), the
// newest notifications in a menu, each a link; opening the menu marks them read.
import { ActionIcon, Indicator, Menu, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { notificationsApi } from '../../../contracts/notifications.js';
import { call } from '../../api/client.js';
import { useSession } from '../../api/queries.js';
import { formatters } from '../../lib/format.js';
import { notificationKeys } from '../promises/keys.js';

export function NotificationBell() {
  const { org } = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const q = useQuery({ queryKey: notificationKeys.all, queryFn: () => call(notificationsApi.list, { query: { limit: 10 } }) });
  const read = useMutation({
    mutationFn: (upTo: number) => call(notificationsApi.markRead, { body: { upTo } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
  });
  const unread = q.data?.unread ?? 0;
  const label = unread ? `Notifications: ${q.data?.unreadCapped ? `${unread}+` : unread} unread` : 'Notifications: none unread';
  const fmt = formatters(org);
  return (
    <Menu
      position="bottom-end"
      withinPortal
      width={340}
      onOpen={() => {
        const newest = q.data?.items[0];
        if (unread && newest) read.mutate(newest.id);
      }}
    >
      <Indicator label={q.data?.unreadCapped ? '99+' : unread} size={18} disabled={!unread} offset={4}>
        <Menu.Target>
          <ActionIcon variant="subtle" size={36} aria-label={label} data-testid="notification-bell">
            <BellIcon />
          </ActionIcon>
        </Menu.Target>
      </Indicator>
      <Menu.Dropdown>
        <Menu.Label>Notifications</Menu.Label>
        {!q.data?.items.length && (
          <Text size="sm" p="xs">
            Nothing yet.
          </Text>
        )}
        {q.data?.items.map((n) => (
          <Menu.Item
            key={n.id}
            onClick={() => {
              if (n.link) void navigate({ to: n.link });
            }}
          >
            <Text size="sm" fw={n.read ? 400 : 700}>
              {n.title}
            </Text>
            <Text size="xs" c="dimmed" lineClamp={2}>
              {n.body}
            </Text>
            <Text size="xs" c="dimmed">
              {fmt.dateTime(n.createdAt)}
            </Text>
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}

/** A bell drawn inline: an emoji bell needs an emoji font, which many office PCs and Linux desks lack. */
function BellIcon() {
  return (
    <svg aria-hidden="true" width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
      <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </svg>
  );
}
