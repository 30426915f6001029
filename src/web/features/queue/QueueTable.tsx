// The cases of a queue as a table. j/k move the row focus, Enter or o opens the case.
import { useMemo, useRef, useState } from 'react';
import { Badge, Group, Table, Text } from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import { type CaseSummary } from '../../../contracts/cases.js';
import { useSession } from '../../api/queries.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { When } from '../../components/When.js';
import { PRIORITY_COLORS, PRIORITY_LABELS } from '../../lib/labels.js';
import { useShortcuts } from '../../lib/shortcuts.js';
import { AnchorLink } from '../../components/links.js';

export function QueueTable({ cases }: { cases: CaseSummary[] }) {
  const { org } = useSession();
  const navigate = useNavigate();
  const [active, setActive] = useState(-1);
  const links = useRef(new Map<number, HTMLAnchorElement>());

  const bindings = useMemo(() => {
    const move = (by: number) => {
      if (!cases.length) return;
      const next = Math.max(0, Math.min(cases.length - 1, active + by));
      setActive(next);
      const el = links.current.get(next);
      el?.focus();
      el?.closest('tr')?.scrollIntoView({ block: 'nearest' });
    };
    const open = () => {
      const c = cases[active];
      if (c) void navigate({ to: '/cases/$ref', params: { ref: c.ref } });
    };
    return {
      j: () => move(1),
      k: () => move(-1),
      o: () => (active >= 0 ? open() : false),
      // Enter on a focused link or button already does the right thing.
      Enter: (e: KeyboardEvent) => (e.target === document.body && active >= 0 ? open() : false),
    };
  }, [active, cases, navigate]);
  useShortcuts(bindings);

  return (
    <Table.ScrollContainer minWidth={960}>
      <Table highlightOnHover verticalSpacing="xs" aria-label="Cases">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Reference</Table.Th>
            <Table.Th scope="col">Subject</Table.Th>
            <Table.Th scope="col">Patron</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
            <Table.Th scope="col">Priority</Table.Th>
            <Table.Th scope="col">Team</Table.Th>
            <Table.Th scope="col">Assignee</Table.Th>
            <Table.Th scope="col">Last activity</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {cases.map((c, i) => (
            <Table.Tr key={c.id} className="queue-row" data-active={i === active}>
              <Table.Td>
                <Text size="sm" ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                  {c.ref}
                </Text>
              </Table.Td>
              <Table.Td>
                <AnchorLink
                  
                  to="/cases/$ref"
                  params={{ ref: c.ref }}
                  fw={500}
                  size="sm"
                  ref={(el: HTMLAnchorElement | null) => {
                    if (el) links.current.set(i, el);
                    else links.current.delete(i);
                  }}
                  onFocus={() => setActive(i)}
                >
                  {c.subject}
                </AnchorLink>
                {c.tags.length > 0 && (
                  <Group gap={4} mt={4}>
                    {c.tags.map((t) => (
                      <Badge key={t} size="xs" variant="outline" color="gray" c="dark" tt="none">
                        {t}
                      </Badge>
                    ))}
                  </Group>
                )}
              </Table.Td>
              <Table.Td>{c.patron?.name ?? '—'}</Table.Td>
              <Table.Td>
                <StatusBadge status={c.status} />
              </Table.Td>
              <Table.Td>
                <Text size="sm" fw={c.priority === 'high' || c.priority === 'urgent' ? 700 : 400} c={PRIORITY_COLORS[c.priority]}>
                  {PRIORITY_LABELS[c.priority]}
                </Text>
              </Table.Td>
              <Table.Td>{c.team?.name ?? '—'}</Table.Td>
              <Table.Td>{c.assignee?.name ?? <Text span size="sm" c="dimmed">Unassigned</Text>}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <When ms={c.lastActivityAt} place={org} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
