import { CONNECT, READY, isRequest } from './handover.js';
import type { ElectronIgnoredReason } from './senderRules.js';
import type { FrameLike, IpcEventLike, WebContentsLike } from './types.js';

/** How one offer judges and takes a request. */
export interface OfferSettings {
  channel: string;
  /** The sender check: why `frame` may not connect, or undefined. */
  check(frame: FrameLike | null): ElectronIgnoredReason | undefined;
  onIgnored: ((reason: ElectronIgnoredReason, data: unknown) => void) | undefined;
  /** Whether frames other than the main frame can ask (they hear the announcement too). */
  subframes: boolean;
}

/**
 * Waits for a page of `contents` to ask for a port on `settings.channel`, and calls `take` with
 * the asking frame once one passes the sender check; every other request is ignored, with why.
 * The frame is read at once, in the IPC listener: Electron gives null for a frame that has since
 * navigated or gone, and so the check can never be fooled by a later document.
 *
 * Either side may start first: a page that asked before this listener existed is told (READY)
 * and asks again. So a page may ask twice; a repeat from the frame that got the port is dropped
 * quietly. Returns the function that withdraws the offer.
 */
export function offerPort(contents: WebContentsLike, settings: OfferSettings, take: (frame: FrameLike) => void): () => void {
  const ignore = (reason: ElectronIgnoredReason, data: unknown) => settings.onIgnored?.(reason, data);
  let taken: FrameLike | undefined;
  const onRequest = (event: IpcEventLike, request: unknown) => {
    const frame = event.senderFrame;
    if (!isRequest(request) || (event.ports?.length ?? 0) > 0) return ignore('malformed', request);
    if (request.channel !== settings.channel) return ignore('channel', request);
    if (event.sender !== contents) return ignore('sender', request);
    const refused = settings.check(frame);
    if (refused) return ignore(refused, request);
    if (taken) return sameFrame(taken, frame!) || ignore('stale', request);
    taken = frame!;
    take(frame!);
  };
  contents.ipc.on(CONNECT, onRequest);
  announce(contents, settings);
  return () => void contents.ipc.off(CONNECT, onRequest);
}

// Electron may give two objects for one frame; its process and routing ids say whether they are.
const sameFrame = (a: FrameLike, b: FrameLike): boolean =>
  a === b || (a.routingId !== undefined && a.routingId === b.routingId && a.processId === b.processId);

/** Tells the pages of `contents` that main now listens on the channel (lost when none is there yet). */
function announce(contents: WebContentsLike, settings: OfferSettings): void {
  if (contents.isDestroyed()) return;
  const frames = settings.subframes ? (contents.mainFrame.framesInSubtree ?? [contents.mainFrame]) : [contents.mainFrame];
  for (const frame of frames) {
    try {
      frame.send(READY, { channel: settings.channel });
    } catch {
      // A frame being torn down: it has no page left to tell.
    }
  }
}
