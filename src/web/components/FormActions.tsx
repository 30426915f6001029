// The buttons at the foot of a dialog's form: Cancel, then the submit button that shows the
// save in progress. One place, so every dialog says and orders them alike.
import { Button, Group } from '@mantine/core';

export function FormActions({ onCancel, loading, submitLabel }: { onCancel: () => void; loading: boolean; submitLabel: string }) {
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onCancel}>
        Cancel
      </Button>
      <Button type="submit" loading={loading}>
        {submitLabel}
      </Button>
    </Group>
  );
}
