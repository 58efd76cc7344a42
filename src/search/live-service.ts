/**
 * A swappable search service: one object the web app holds for its whole life, delegating every
 * call to whichever SearchService is current. Hot re-indexing loads the next service beside the
 * current one and then calls `swap` — a single reference assignment — so a call sees either the
 * old index or the new one, never a mix.
 *
 * Delegation is generic (a Proxy), so methods added to SearchServiceApi later are covered without
 * touching this file. The unit of consistency is one call; a request handler that calls the
 * service several times synchronously (without awaiting in between) also sees one index, since a
 * swap runs on the event loop between handlers. Before the first swap every method throws
 * AppError('E_NOT_READY') (503).
 */
import { AppError } from '../domain/errors.js';
import type { SearchServiceApi } from './api.js';

export interface LiveService {
  /** The delegating service to hand to createApp(); valid for the life of the process. */
  readonly service: SearchServiceApi;
  /** The service calls go to now, or null before the first index is loaded. */
  current(): SearchServiceApi | null;
  /** Makes `next` current and returns the previous one (for the caller to release). */
  swap(next: SearchServiceApi): SearchServiceApi | null;
}

function notReady(): never {
  throw new AppError('E_NOT_READY');
}

/** Creates a live service, optionally with a first service already current. */
export function createLiveService(initial: SearchServiceApi | null = null): LiveService {
  let current: SearchServiceApi | null = initial;

  const handler: ProxyHandler<SearchServiceApi> = {
    get(_target, prop) {
      // Not a thenable (an async function may return this object), and no symbol protocol.
      if (typeof prop === 'symbol' || prop === 'then') return undefined;
      const target = current;
      if (!target) return notReady;
      const value: unknown = Reflect.get(target, prop, target);
      // Bind to the service current at access time, so `service.search(…)` runs entirely
      // against one index even if a swap happens before the next access.
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
    has(_target, prop) {
      return current !== null && Reflect.has(current, prop);
    },
    set() {
      return false;
    },
  };

  // The proxy target is only a placeholder; every read goes through `get`.
  const service = new Proxy({} as SearchServiceApi, handler);
  return {
    service,
    current: () => current,
    swap(next) {
      const previous = current;
      current = next;
      return previous;
    },
  };
}
