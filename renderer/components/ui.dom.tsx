/** Small building blocks shared by the screens: titles that take focus, error boxes, progress bars. */
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError, type ArcheErrorData } from '../../shared/errors.std.ts';
import { useLang } from '../i18n/i18n.dom.ts';

/** The screen's title. It takes the focus when the screen appears, so keyboard and screen-reader users start there. */
export function ScreenTitle({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1} className="screen-title">
      {children}
    </h1>
  );
}

/** Plain words for an error (what happened, what to do), in the current language. */
export function useErrorWords(): (err: ArcheErrorData) => { message: string; action: string } {
  const lang = useLang();
  return (err) => describeError(err, lang);
}

export function ErrorBox({ error, children }: { error: ArcheErrorData; children?: ReactNode }) {
  const words = useErrorWords();
  const { t } = useTranslation();
  const { message, action } = words(error);
  return (
    <div className="box box-error" role="alert" data-error-code={error.code}>
      <p className="box-message">{message}</p>
      {action && (
        <p className="box-action">
          <strong>{t('common.whatToDo')}</strong> {action}
        </p>
      )}
      {children}
    </div>
  );
}

export function Notice({ kind = 'info', children, role }: { kind?: 'info' | 'ok' | 'warn' | 'error'; children: ReactNode; role?: 'status' | 'alert' }) {
  return (
    <div className={`box box-${kind}`} role={role}>
      {children}
    </div>
  );
}

export function ProgressBar({ fraction, label }: { fraction: number; label: string }) {
  const pct = Math.round(Math.max(0, Math.min(1, fraction)) * 100);
  return (
    <div className="bar" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
      <div className="bar-fill" style={{ width: `${pct}%` }} />
    </div>
  );
}

export function Busy({ children }: { children: ReactNode }) {
  return (
    <p className="busy" role="status">
      <span className="spinner" aria-hidden="true" /> {children}
    </p>
  );
}

/** The last buttons of a finished journey (backup, restore, move): search the archive, or back to the start. */
export function FinishActions({ onFind, onHome }: { onFind: () => void; onHome: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="actions actions-bottom">
      <button type="button" className="secondary" onClick={onFind}>
        {t('done.find')}
      </button>
      <button type="button" className="primary" onClick={onHome}>
        {t('common.home')}
      </button>
    </div>
  );
}

/** The foot of a wizard step: "Retour" first, then the step's own way forward, if any. */
export function StepActions({ onBack, children }: { onBack: () => void; children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="actions actions-bottom">
      <button type="button" className="secondary" onClick={onBack}>
        {t('common.back')}
      </button>
      {children}
    </div>
  );
}
