/**
 * A connection that survives network trouble: a step that fails because the connection dropped (or timed out) is
 * run again on a fresh connection after a growing wait, and the user is told ("la connexion a été coupée, Arche
 * reprend tout seul"). Steps must be restartable: backup steps restart from the cursor committed in the archive.
 * The very first connection is not retried: a wrong host or port should be said at once, not after a minute.
 */
import type { ImapFlow } from 'imapflow';
import { ArcheError, type ArcheErrorData } from '../../../shared/errors.std.ts';
import type { AccountSpec } from '../../../shared/types.std.ts';
import { connect, type ConnectOptions } from '../imap/connect.node.ts';
import { isTransient, toArcheError, type ErrorContext } from '../imap/imap-errors.node.ts';
import { abortableWait } from '../base/abortable-wait.std.ts';
import { throttleDelayMs } from '../base/throttle.std.ts';

export interface ReconnectOptions {
  connectOptions?: ConnectOptions;
  retryDelaysMs?: number[];
  maxRetries?: number;
  signal?: AbortSignal;
  onNotice?: (notice: ArcheErrorData) => void;
  /**
   * A number that grows while the work moves forward (bytes received). Retries are counted WITHOUT progress: a drop
   * after progress starts the count again, so a run that keeps moving on a bad network never gives up, and one that
   * is stuck still stops after maxRetries.
   */
  progress?: () => number;
  /** The wait when the provider asks to slow down (tests record it instead of sleeping). */
  throttleWait?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** How many "slow down" answers in a row (without progress) before giving up. Default 8. */
  maxThrottles?: number;
}

export interface Reconnecting {
  start(): Promise<void>;
  run<T>(step: (client: ImapFlow) => Promise<T>): Promise<T>;
  end(): Promise<void>;
}

const DEFAULT_DELAYS = [500, 2_000, 5_000, 10_000, 30_000];


export function withReconnect(spec: AccountSpec, ctx: ErrorContext, opts: ReconnectOptions = {}): Reconnecting {
  const delays = opts.retryDelaysMs?.length ? opts.retryDelaysMs : DEFAULT_DELAYS;
  const maxRetries = opts.maxRetries ?? 8;
  let client: ImapFlow | null = null;

  const drop = (): void => {
    if (client) {
      try {
        client.close();
      } catch {
        /* already closed */
      }
    }
    client = null;
  };

  return {
    async start() {
      client = await connect(spec, opts.connectOptions);
    },
    async run<T>(step: (c: ImapFlow) => Promise<T>): Promise<T> {
      let lastProgress = opts.progress?.() ?? 0;
      let throttles = 0;
      let throttleProgress = lastProgress;
      for (let attempt = 0; ; attempt++) {
        try {
          if (!client || !client.usable) {
            drop();
            client = await connect(spec, opts.connectOptions);
          }
          return await step(client);
        } catch (e) {
          const err = toArcheError(e, ctx);
          if (err.code === 'provider-throttled' && !opts.signal?.aborted) {
            // The provider asks to slow down (Microsoft, Gmail): wait (its hint, else 5 s doubling) and go again,
            // on the same connection when it is still usable. Never a failure when it passes; counted without
            // progress, so a provider that never lets go still ends the run.
            const now = opts.progress?.() ?? 0;
            if (now > throttleProgress) {
              throttles = 0;
              throttleProgress = now;
            }
            if (throttles++ >= (opts.maxThrottles ?? 8)) throw new ArcheError('provider-throttled', { ...err.fields, final: true }, { cause: e });
            const hint = typeof err.fields.waitMs === 'number' ? err.fields.waitMs : null;
            const ms = throttleDelayMs(hint, throttles);
            const at = new Date(Date.now() + ms);
            const hhmm = `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
            opts.onNotice?.({ code: 'provider-throttled', fields: { host: ctx.host, port: ctx.port, at: hhmm, seconds: Math.round(ms / 1000), attempt: throttles, ...(err.fields.provider ? { provider: err.fields.provider } : {}) } });
            await (opts.throttleWait ?? abortableWait)(ms, opts.signal);
            if (opts.signal?.aborted) throw new ArcheError('aborted', {});
            attempt--; // not a reconnection
            continue;
          }
          const dropped = isTransient(err) || (client !== null && !client.usable && err.code === 'internal');
          if (!dropped || opts.signal?.aborted) throw err;
          drop();
          const now = opts.progress?.() ?? 0;
          if (now > lastProgress) {
            // Progress since the last drop: this is a new stretch of trouble, not the same one.
            attempt = 0;
            lastProgress = now;
          }
          if (attempt >= maxRetries) throw new ArcheError('connection-lost', { ...err.fields, final: true }, { cause: e });
          opts.onNotice?.({ code: 'connection-lost', fields: { host: ctx.host, port: ctx.port, attempt: attempt + 1, ...(err.fields.provider ? { provider: err.fields.provider } : {}) } });
          await abortableWait(delays[Math.min(attempt, delays.length - 1)], opts.signal);
          if (opts.signal?.aborted) throw new ArcheError('aborted', {});
        }
      }
    },
    async end() {
      if (client) {
        const c = client;
        client = null;
        await c.logout().catch(() => c.close());
      }
    },
  };
}
