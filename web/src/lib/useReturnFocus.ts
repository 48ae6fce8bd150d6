// Radix dialogs give focus back to their Dialog.Trigger when they close; ours open from buttons that
// are not triggers (the page header, a table row, a menu item, a toast), so focus fell to <body> and
// a keyboard user had to start again from the top of the page. This remembers the element that had
// focus when the dialog opened and focuses it again on close; when that element is gone (a menu item,
// a toast), `fallback` names another one (e.g. the row's actions button).
import { useCallback, useLayoutEffect, useRef } from 'react';

export function useReturnFocus(open: boolean, fallback?: () => HTMLElement | null): (event: Event) => void {
  const opener = useRef<HTMLElement | null>(null);
  const fallbackAtOpen = useRef(fallback);
  // A layout effect runs before the dialog's focus scope (a passive effect) moves focus inside. The
  // fallback is the one given at opening: by the time the dialog closes, the props that named it
  // (the space being deleted...) are usually reset already.
  useLayoutEffect(() => {
    if (!open) return;
    const active = document.activeElement;
    opener.current = active instanceof HTMLElement && active !== document.body ? active : null;
    fallbackAtOpen.current = fallback;
  }, [open]);
  // For Dialog.Content's onCloseAutoFocus.
  return useCallback((event: Event) => {
    const target = opener.current?.isConnected ? opener.current : (fallbackAtOpen.current?.() ?? null);
    opener.current = null;
    if (!target) return; // Radix's default
    event.preventDefault();
    target.focus({ preventScroll: false });
  }, []);
}
