// The user's saved views in the side navigation, each with a delete button (asked first).
import { ActionIcon, Divider, Group, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { casesApi, type SavedView } from '../../../contracts/cases.js';
import { call } from '../../api/client.js';
import { keys, useSavedViews } from '../../api/queries.js';
import { confirm } from '../../components/confirm.js';
import { errorText } from '../../components/ErrorAlert.js';
import { NavLinkLink } from '../../components/links.js';
import { fromSavedFilters } from './filters.js';

export function SavedViewsNav({ onNavigate }: { onNavigate: () => void }) {
  const views = useSavedViews();
  if (views.length === 0) return null;
  return (
    <>
      <Divider my="xs" />
      <Text size="xs" fw={700} tt="uppercase" c="dimmed" px="sm" py={4}>
        Saved views
      </Text>
      {views.map((v) => (
        <SavedViewLink key={v.id} view={v} onNavigate={onNavigate} />
      ))}
    </>
  );
}

function SavedViewLink({ view, onNavigate }: { view: SavedView; onNavigate: () => void }) {
  const queryClient = useQueryClient();
  const { queue, search } = fromSavedFilters(view.filters);
  const remove = useMutation({
    mutationFn: () => call(casesApi.deleteView, { params: { id: view.id } }),
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
        onClick={async () => {
          const sure = await confirm({
            title: 'Delete saved view',
            message: `Delete the saved view "${view.name}"? Its cases stay as they are.`,
            confirmLabel: 'Delete view',
            danger: true,
          });
          if (sure) remove.mutate();
        }}
      >
        <span aria-hidden="true">×</span>
      </ActionIcon>
    </Group>
  );
}
