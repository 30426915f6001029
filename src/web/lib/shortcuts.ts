// Single-key shortcuts for the desk. They never fire while someone types in a field, with a
// modifier held (so browser shortcuts keep working), or inside a dialog.
import { useEffect } from 'react';

/** A handler may return false to leave the key to the browser (e.g. Enter on a button). */
export type Bindings = Record<string, (e: KeyboardEvent) => void | false>;

const TYPING_INPUTS = new Set(['text', 'search', 'email', 'tel', 'url', 'password', 'number', 'date', '']);

export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return TYPING_INPUTS.has(target.type);
  return false;
}

// A dialog traps focus, so a key pressed inside one belongs to it. (Checking the DOM for open
// dialogs instead would swallow keys during a closing dialog's fade-out.)
const inDialog = (target: EventTarget | null) =>
  target instanceof Element && target.closest('[role="dialog"]') !== null;

/** Pass a memoized object: the listener is replaced whenever it changes. */
export function useShortcuts(bindings: Bindings, enabled = true): void {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      if (isTyping(e.target) || inDialog(e.target)) return;
      const fn = bindings[e.key];
      if (!fn) return;
      if (fn(e) !== false) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [bindings, enabled]);
}

/** What the "Keyboard shortcuts" dialog lists. */
export const SHORTCUT_HELP: ReadonlyArray<{ keys: string[]; what: string; where: string }> = [
  { keys: ['/'], what: 'Focus the search box', where: 'Anywhere' },
  { keys: ['n'], what: 'Log a call or visit', where: 'Anywhere' },
  { keys: ['?'], what: 'Show keyboard shortcuts', where: 'Anywhere' },
  { keys: ['j'], what: 'Next case', where: 'Queues' },
  { keys: ['k'], what: 'Previous case', where: 'Queues' },
  { keys: ['Enter'], what: 'Open the selected case', where: 'Queues' },
  { keys: ['o'], what: 'Open the selected case', where: 'Queues' },
  { keys: ['r'], what: 'Write a reply', where: 'Case' },
  { keys: ['i'], what: 'Write an internal note', where: 'Case' },
  { keys: ['Ctrl', 'Enter'], what: 'Send (⌘ Enter on a Mac)', where: 'Case composer' },
  { keys: ['Esc'], what: 'Close a dialog', where: 'Dialogs' },
];
