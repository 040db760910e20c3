/**
 * Browser mode only: the tab lost this launch's secret code (reopened from the history after Arche restarted,
 * an old bookmark with a stale code…). It says only that, and how to get back in: nothing else on the welcome
 * screen could be read, so showing it ("no account yet") would frighten for nothing.
 */
import { ScreenTitle, useErrorWords } from '../components/ui.dom.tsx';
import type { ArcheErrorData } from '../../shared/errors.std.ts';

export function LostAccessScreen({ error }: { error: ArcheErrorData }) {
  const { message, action } = useErrorWords()(error);
  return (
    <section className="screen" data-testid="lost-access" data-error-code={error.code}>
      <ScreenTitle>{message}</ScreenTitle>
      <p>{action}</p>
    </section>
  );
}
