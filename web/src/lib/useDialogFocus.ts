// Two keyboard traps of Radix's FocusScope (the focus trap of Dialog / AlertDialog), fixed from the
// outside. Spread the result on Dialog.Content.
//
// 1. Leaving a field can re-render the form at once (react-hook-form validates on blur and removes
//    or adds an error message). That happens between `focusout` and `focusin`, while
//    document.activeElement is <body>; FocusScope's MutationObserver takes that for "the focused
//    element was removed" and focuses the dialog itself, so Tab / Shift+Tab dropped the user on the
//    dialog box instead of the next field. We remember where focus was going (focusout's
//    relatedTarget) and send it there when the dialog box receives focus that way.
// 2. With the dialog box itself focused, Shift+Tab went to the focus guard before it and FocusScope
//    put it back on the box: focus stayed stuck there. Tab / Shift+Tab from the box now go to the
//    first / last control.
import { useRef, type FocusEvent, type KeyboardEvent } from 'react';

const TABBABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function tabbables(container: HTMLElement): HTMLElement[] {
  return [...container.querySelectorAll<HTMLElement>(TABBABLE)].filter((el) => !el.closest('[hidden], [inert]') && el.getClientRects().length > 0);
}

export function useDialogFocus() {
  const heading = useRef<HTMLElement | null>(null);
  return {
    onBlur(event: FocusEvent<HTMLElement>) {
      const next = event.relatedTarget;
      heading.current = next instanceof HTMLElement && event.currentTarget.contains(next) && next !== event.currentTarget ? next : null;
    },
    onFocus(event: FocusEvent<HTMLElement>) {
      const intended = heading.current;
      heading.current = null;
      if (event.target !== event.currentTarget) return;
      if (intended?.isConnected && event.currentTarget.contains(intended) && !intended.matches(':disabled')) intended.focus();
    },
    onKeyDown(event: KeyboardEvent<HTMLElement>) {
      if (event.key !== 'Tab' || event.target !== event.currentTarget) return;
      const all = tabbables(event.currentTarget);
      const target = event.shiftKey ? all.at(-1) : all[0];
      if (!target) return;
      event.preventDefault();
      target.focus();
    },
  };
}
