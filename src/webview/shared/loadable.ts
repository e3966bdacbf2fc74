// Something a view asks the extension for, with its loading and error states. Every request gets a number; an
// answer to an older request than the latest is dropped, so a slow reply for last month never overwrites this
// month's runs. A failed load keeps its message until the user retries: loading always ends, in data or an error.

export interface Loadable<T> {
  status: 'idle' | 'loading' | 'ready' | 'error';
  /** The last value loaded; kept while reloading when it still applies (same range), null otherwise. */
  value: T | null;
  /** What went wrong and what to do next, when status is 'error'. */
  error: string | null;
  /** The number of the latest request; 0 before the first. */
  request: number;
}

export function idle<T>(value: T | null = null): Loadable<T> {
  return { status: 'idle', value, error: null, request: 0 };
}

/** Starts request `request`; `keep` shows the old value while the new one loads (a refresh of the same thing). */
export function loading<T>(l: Loadable<T>, request: number, keep: boolean): Loadable<T> {
  return { status: 'loading', value: keep ? l.value : null, error: null, request };
}

/** The answer to `request`; ignored (same object back) when a newer request is under way. */
export function loaded<T>(l: Loadable<T>, request: number, value: T): Loadable<T> {
  return request === l.request ? { status: 'ready', value, error: null, request } : l;
}

/** The failure of `request`; ignored when a newer request is under way. The old value stays, so a failed refresh
 * still shows what was there, under the error. */
export function failed<T>(l: Loadable<T>, request: number, error: string): Loadable<T> {
  return request === l.request ? { status: 'error', value: l.value, error, request } : l;
}
