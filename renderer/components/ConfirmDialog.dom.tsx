/**
 * A question the user answers before Arche does something that leaves it (open a link in the browser) or that
 * may be risky (save a program). The browser's own modal <dialog>: focus stays inside, Escape cancels, and the
 * focus goes back where it was when it closes.
 */
import { useEffect, useRef, type ReactNode } from 'react';

export function ConfirmDialog({ title, children, confirm, cancel, onConfirm, onCancel }: { title: string; children: ReactNode; confirm: string; cancel: string; onConfirm: () => void; onCancel: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    // Where the focus was (the button that asked): the dialog is removed from the page when answered, and a removed
    // <dialog> gives the focus back to nobody, so it is given back here.
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (d && !d.open) d.showModal();
    return () => {
      d?.close();
      if (before?.isConnected) before.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className="confirm"
      aria-labelledby="confirm-title"
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      <h2 id="confirm-title">{title}</h2>
      {children}
      <div className="actions">
        <button type="button" className="secondary" onClick={onCancel} autoFocus>
          {cancel}
        </button>
        <button type="button" className="primary" onClick={onConfirm}>
          {confirm}
        </button>
      </div>
    </dialog>
  );
}
