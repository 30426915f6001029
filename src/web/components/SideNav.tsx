// Queue links with their open-case counts, the user's saved views, and Admin for admins.
import { ActionIcon, Badge, Divider, Group, Stack, Text } from '@mantine/core';
import { useRouterState } from '@tanstack/react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { QUEUES, QUEUE_LABELS, type SavedView } from '../../contracts/cases.js';
import { del } from '../api/client.js';
import { keys, useCounts, useSavedViews, useSession } from '../api/queries.js';
import { formatters } from '../lib/format.js';
import { fromSavedFilters } from '../features/queue/filters.js';
import { errorText } from './ErrorAlert.js';
import { NavLinkLink } from './links.js';

export function SideNav({ onNavigate }: { onNavigate: () => void }) {
  const { user, org } = useSession();
  const counts = useCounts();
  const views = useSavedViews();
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const f = formatters(org);

  return (
    <Stack gap={2}>
      <Text size="xs" fw={700} tt="uppercase" c="dimmed" px="sm" py={4}>
        Queues
      </Text>
      {QUEUES.map((queue) => {
        const n = queue === 'all' ? undefined : counts?.[queue];
        return (
          <NavLinkLink
            key={queue}
            to="/queue/$queue"
            params={{ queue }}
            label={QUEUE_LABELS[queue]}
            active={pathname === `/queue/${queue}`}
            onClick={onNavigate}
            rightSection={
              n !== undefined ? (
                <Badge size="sm" variant="light" color="gray" c="dark">
                  {f.number(n)}
                </Badge>
              ) : null
            }
          />
        );
      })}
      {views.length > 0 && (
        <>
          <Divider my="xs" />
          <Text size="xs" fw={700} tt="uppercase" c="dimmed" px="sm" py={4}>
            Saved views
          </Text>
          {views.map((v) => (
            <SavedViewLink key={v.id} view={v} onNavigate={onNavigate} />
          ))}
        </>
      )}
      {user.role === 'admin' && (
        <>
          <Divider my="xs" />
          <NavLinkLink
            
            to="/admin"
            label="Admin"
            active={pathname === '/admin'}
            onClick={onNavigate}
          />
        </>
      )}
    </Stack>
  );
}

function SavedViewLink({ view, onNavigate }: { view: SavedView; onNavigate: () => void }) {
  const queryClient = useQueryClient();
  const { queue, search } = fromSavedFilters(view.filters);
  const remove = useMutation({
    mutationFn: () => del(`/api/views/${view.id}`),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: keys.views });
      notifications.show({ message: `Deleted the view "${view.name}".` });
    },
    onError: (e) => notifications.show({ color: 'red', message: errorText(e) }),
  });
  return (
    <Group gap={4} wrap="nowrap">
      <NavLinkLink
        
        to="/queue/$queue"
        params={{ queue }}
        search={search}
        label={view.name}
        onClick={onNavigate}
        style={{ flex: 1 }}
      />
      <ActionIcon
        variant="subtle"
        color="gray"
        size={28}
        aria-label={`Delete view ${view.name}`}
        loading={remove.isPending}
        onClick={() => {
          if (window.confirm(`Delete the saved view "${view.name}"?`)) remove.mutate();
        }}
      >
        <span aria-hidden="true">×</span>
      </ActionIcon>
    </Group>
  );
}
