// The one handle a webview gets on VS Code. acquireVsCodeApi may be called only once per page, so it lives here.

export interface VsCodeApi<S> {
  postMessage(message: unknown): void;
  getState(): S | undefined;
  setState(state: S): void;
}

declare function acquireVsCodeApi<S>(): VsCodeApi<S>;

let api: unknown;

export function vscodeApi<S>(): VsCodeApi<S> {
  api ??= acquireVsCodeApi<S>();
  return api as VsCodeApi<S>;
}
