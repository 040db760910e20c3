/**
 * The Bridge over `arche serve` (browser mode): every call is POST /api/<channel> with a JSON body and the
 * per-launch secret token in a header; events come as Server-Sent Events. The token arrives once in the page
 * address (?token=…); we keep it for this tab only (sessionStorage) and take it out of the address bar so it
 * does not end up in the history, bookmarks or a screenshot.
 */
import type { Bridge, Channel, Req, Res, EventName, ServerEvents } from '../../shared/api.std.ts';
import type { ErrorCode, Result } from '../../shared/errors.std.ts';

export const TOKEN_HEADER = 'x-arche-token';
const TOKEN_KEY = 'arche.token';

export function takeToken(loc: Location = window.location): string {
  const url = new URL(loc.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    try {
      sessionStorage.setItem(TOKEN_KEY, fromUrl);
    } catch {
      /* storage refused (private mode): keep it in memory only */
    }
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url.pathname + (url.search === '?' ? '' : url.search) + url.hash);
    return fromUrl;
  }
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? '';
  } catch {
    return '';
  }
}

/** The host did not answer at all (closed, restarted with a new token…): words live in the renderer's i18n. */
export const HOST_UNREACHABLE = 'host-unreachable' satisfies ErrorCode;

export function createHttpBridge(token: string, base = ''): Bridge {
  const listeners = new Map<EventName, Set<(p: unknown) => void>>();
  let source: EventSource | null = null;

  function dispatch(event: string, data: string) {
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      return;
    }
    // Accept both named SSE events and a generic {event, payload} message.
    if (event === 'message' && payload && typeof payload === 'object' && 'event' in payload) {
      const p = payload as { event: string; payload?: unknown; data?: unknown };
      event = p.event;
      payload = p.payload ?? p.data;
    }
    for (const l of listeners.get(event as EventName) ?? []) l(payload);
  }

  function ensureSource() {
    if (source) return;
    // EventSource cannot send headers: the token goes in the query string of this one same-origin URL.
    source = new EventSource(`${base}/api/events?token=${encodeURIComponent(token)}`);
    source.onmessage = (e) => dispatch('message', e.data);
    for (const name of ['job.progress', 'job.state'] as const) source.addEventListener(name, (e) => dispatch(name, (e as MessageEvent).data));
  }

  return {
    async call<K extends Channel>(channel: K, req: Req<K>): Promise<Result<Res<K>>> {
      let response: Response;
      try {
        response = await fetch(`${base}/api/${channel}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token },
          body: JSON.stringify(req ?? {}),
          credentials: 'same-origin',
        });
      } catch {
        return { ok: false, error: { code: HOST_UNREACHABLE, fields: {} } };
      }
      let body: unknown = null;
      try {
        body = await response.json();
      } catch {
        /* not JSON: handled below */
      }
      if (body && typeof body === 'object' && 'ok' in body) return body as Result<Res<K>>;
      if (response.status === 403 || response.status === 401) return { ok: false, error: { code: HOST_UNREACHABLE, fields: { status: response.status } } };
      return { ok: false, error: { code: 'internal', fields: { detail: `HTTP ${response.status}` } } };
    },
    on<E extends EventName>(event: E, listener: (payload: ServerEvents[E]) => void) {
      ensureSource();
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const l = listener as (p: unknown) => void;
      set.add(l);
      return () => {
        set.delete(l);
      };
    },
  };
}
