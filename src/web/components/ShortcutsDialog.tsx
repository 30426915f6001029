// The list behind "?": every single-key shortcut and where it works.
import { Group, Kbd, Modal, Table, Text } from '@mantine/core';
import { SHORTCUT_HELP } from '../lib/shortcuts.js';

export function ShortcutsDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Keyboard shortcuts" size="lg">
      <Text size="sm" mb="sm">
        Single-key shortcuts work when you are not typing in a field.
      </Text>
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Keys</Table.Th>
            <Table.Th scope="col">What it does</Table.Th>
            <Table.Th scope="col">Where</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {SHORTCUT_HELP.map((s) => (
            <Table.Tr key={s.keys.join('+') + s.what}>
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  {s.keys.map((k, i) => (
                    <span key={k}>
                      {i > 0 && ' + '}
                      <Kbd>{k}</Kbd>
                    </span>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td>{s.what}</Table.Td>
              <Table.Td>{s.where}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Modal>
  );
}
