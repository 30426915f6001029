// Asking before something that cannot be undone, in place of window.confirm: a Mantine modal
// (focus trapped inside, returned to the button afterwards) whose confirm button has the
// focus, so Enter confirms and Esc cancels.
import type { ReactNode } from 'react';
import { Text } from '@mantine/core';
import { modals } from '@mantine/modals';

export interface ConfirmOptions {
  title: string;
  message: ReactNode;
  /** Says what happens: "Delete note", never "OK". */
  confirmLabel: string;
  cancelLabel?: string;
  /** A destructive action: the confirm button is red. */
  danger?: boolean;
}

/** Resolves true when confirmed; false when cancelled, by the button, Esc or the close button. */
export function confirm(o: ConfirmOptions): Promise<boolean> {
  return new Promise((resolve) => {
    modals.openConfirmModal({
      title: o.title,
      children: typeof o.message === 'string' ? <Text size="sm">{o.message}</Text> : o.message,
      labels: { confirm: o.confirmLabel, cancel: o.cancelLabel ?? 'Cancel' },
      confirmProps: { 'data-autofocus': true, ...(o.danger ? { color: 'red' } : {}) },
      onConfirm: () => resolve(true),
      // After a confirm, onClose runs too; the promise has settled by then.
      onClose: () => resolve(false),
    });
  });
}
