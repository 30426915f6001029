// A select that saves on its own (a case's status, an assignee, a user's role) but only when the
// person means it. A closed native select saves on every arrow key in Chromium and Firefox on
// Windows and Linux, so one ArrowDown reassigned a case. Here the arrows, Home/End and typed
// letters move a highlight (the select shows it, and says "Enter to save"), Enter saves, Esc
// or leaving the field puts the saved value back. A pick with the mouse or from the opened list
// (Space, Alt+↓) saves at once, as before. The control is never disabled while saving, so
// focus stays on it and the next key is not lost.
import { useState, type KeyboardEvent } from 'react';
import { NativeSelect, type NativeSelectProps } from '@mantine/core';

export interface SelectChoice {
  value: string;
  label: string;
}

interface Props extends Omit<NativeSelectProps, 'value' | 'onChange' | 'data' | 'onKeyDown' | 'onBlur'> {
  value: string;
  data: readonly SelectChoice[];
  /** Saves a choice; may be async (or ask first, and throw or return to put the value back). */
  onCommit: (value: string) => unknown;
}

const MOVES: Record<string, (i: number, n: number) => number> = {
  ArrowDown: (i, n) => Math.min(n - 1, i + 1),
  ArrowRight: (i, n) => Math.min(n - 1, i + 1),
  ArrowUp: (i) => Math.max(0, i - 1),
  ArrowLeft: (i) => Math.max(0, i - 1),
  PageDown: (i, n) => Math.min(n - 1, i + 5),
  PageUp: (i) => Math.max(0, i - 5),
  Home: () => 0,
  End: (_i, n) => n - 1,
};

export function KeyboardSelect({ value, data, onCommit, description, ...rest }: Props) {
  const [highlight, setHighlight] = useState<string | null>(null);
  // What was just saved, shown until the saved value comes back (or the save fails).
  const [saving, setSaving] = useState<string | null>(null);
  const shown = highlight ?? saving ?? value;

  const commit = (next: string) => {
    setHighlight(null);
    if (next === value) return;
    setSaving(next);
    void Promise.resolve()
      .then(() => onCommit(next))
      .catch(() => undefined) // the caller shows its own failure
      .finally(() => setSaving(null));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLSelectElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return; // Alt+↓ opens the list: the browser's own
    const i = Math.max(
      0,
      data.findIndex((c) => c.value === shown),
    );
    const move = MOVES[e.key];
    let next: string | undefined;
    if (move) next = data[move(i, data.length)]?.value;
    else if (e.key.length === 1 && e.key !== ' ') {
      // Type-ahead: the next choice starting with the letter, wrapping round.
      const k = e.key.toLowerCase();
      for (let step = 1; step <= data.length; step++) {
        const c = data[(i + step) % data.length]!;
        if (c.label.toLowerCase().startsWith(k)) {
          next = c.value;
          break;
        }
      }
      if (next === undefined) return;
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (highlight !== null) commit(highlight);
      return;
    } else if (e.key === 'Escape' && highlight !== null) {
      e.preventDefault();
      e.stopPropagation(); // inside a dialog, Esc puts the value back and leaves the dialog open
      setHighlight(null);
      return;
    } else return;
    e.preventDefault();
    if (next !== undefined) setHighlight(next === value ? null : next);
  };

  const pending = highlight !== null && highlight !== value;
  return (
    <NativeSelect
      {...rest}
      value={shown}
      data={data as SelectChoice[]}
      aria-busy={saving !== null || undefined}
      description={pending ? 'Not saved yet: Enter saves, Esc puts it back' : description}
      onKeyDown={onKeyDown}
      onBlur={() => setHighlight(null)}
      onChange={(e) => commit(e.currentTarget.value)}
    />
  );
}
