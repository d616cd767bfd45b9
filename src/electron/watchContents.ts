import type { WebContentsLike } from './types.js';

/**
 * Calls `close` once when `contents` can no longer hold the document that connected: it is
 * destroyed, its renderer process is gone, or (once `connected()` is true) its main frame starts
 * loading a new document. Subframe and same-document navigations (anchors, pushState) close
 * nothing. Returns the function that stops watching.
 */
export function watchContents(contents: WebContentsLike, connected: () => boolean, close: (reason: string) => void): () => void {
  const onDestroyed = () => close('the renderer was destroyed');
  const onGone = (_event: unknown, details?: { reason?: string }) => close(`the renderer process is gone (${details?.reason ?? 'unknown reason'})`);
  // Electron 25+ passes one details object first; older versions passed (event, url, isInPlace, isMainFrame, …).
  const onNavigation = (details: { isMainFrame?: unknown; isSameDocument?: unknown; url?: unknown }, url?: string, isInPlace?: boolean, isMainFrame?: boolean) => {
    const main = typeof details?.isMainFrame === 'boolean' ? details.isMainFrame : isMainFrame;
    const sameDocument = typeof details?.isSameDocument === 'boolean' ? details.isSameDocument : isInPlace;
    if (main === true && sameDocument !== true && connected()) close(`the renderer navigated to ${String(details?.url ?? url)}`);
  };
  contents.on('destroyed', onDestroyed);
  contents.on('render-process-gone', onGone);
  contents.on('did-start-navigation', onNavigation);
  if (contents.isDestroyed()) queueMicrotask(onDestroyed);
  return () => {
    contents.off('destroyed', onDestroyed);
    contents.off('render-process-gone', onGone);
    contents.off('did-start-navigation', onNavigation);
  };
}
