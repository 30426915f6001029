// Where focus goes when the content changes under it. After opening a case, a search, a quick
// log or a saved form, the control that had the focus is gone and the browser drops focus on
// the page body, where nothing is announced. Instead focus moves to the new content's heading
// (tabindex -1: reachable by script, not by Tab), so a screen reader reads it and the next Tab
// starts there. Not on the first load of the page: then nobody has pressed anything yet, and
// the browser's own starting point is right.
import { useCallback, useEffect, useRef } from 'react';

let interacted = false;
if (typeof window !== 'undefined') {
  const mark = () => {
    interacted = true;
  };
  window.addEventListener('keydown', mark, { capture: true, once: true });
  window.addEventListener('pointerdown', mark, { capture: true, once: true });
}

/** Whether the person has pressed a key or a pointer since the page loaded. */
export const hasInteracted = () => interacted;

/** Focuses a heading (made focusable by script only) and brings it into view. */
export function focusHeading(el: HTMLElement | null | undefined): void {
  if (!el) return;
  if (!el.hasAttribute('tabindex')) el.tabIndex = -1;
  el.focus();
}

/**
 * A ref for a page's main heading: it takes the focus when it appears after an action, and
 * again whenever `key` changes (a new search on the same page). Returns the ref callback.
 */
export function useArrivalFocus<T extends HTMLElement>(key?: unknown): (el: T | null) => void {
  const node = useRef<T | null>(null);
  const ref = useCallback((el: T | null) => {
    node.current = el;
  }, []);
  useEffect(() => {
    // Leave the focus where it is when someone already put it in the page (a dialog, a field).
    const active = document.activeElement;
    // (A link in the side navigation, the header's search box or a closing dialog hands over
    // to the new page.)
    const elsewhere =
      active && active !== document.body && active.isConnected && !active.closest('header, nav, [role="dialog"]');
    if (!interacted || elsewhere) return;
    focusHeading(node.current);
  }, [key]);
  return ref;
}
