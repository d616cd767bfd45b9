import { isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PortwireError } from '../errors/PortwireError.js';
import type { ElectronMain, FrameLike, WebContentsLike } from './types.js';

/**
 * Why main ignored a message: `'origin'` (the frame's origin or file path is not allowed, or it
 * is the opaque origin "null"), `'frame'` (a subframe, without `allowSubframes`), `'sender'` (no
 * sender frame: it navigated or was destroyed before the message was read, or another
 * WebContents sent it), `'malformed'` (not a portwire request, or one that carries ports),
 * `'channel'` (a request for another channel), `'stale'` (this endpoint's port was already
 * handed over).
 */
export type ElectronIgnoredReason = 'origin' | 'frame' | 'sender' | 'malformed' | 'channel' | 'stale';

/** Who may ask main for a port: the sender check every main-side adapter runs. */
export interface SenderOptions {
  /**
   * Origins whose frames may connect: exact origins (`'https://app.example'`, `'app://app'` for a
   * scheme registered as standard), `'file://'` for `file:` pages inside `appPath`, or RegExps
   * matched against the frame's origin (anchor them). The opaque origin "null" never matches.
   * @default the origin of the page the window holds when the endpoint is made, or of the first page it loads after (its own pages)
   * @example rendererEndpoint(win.webContents, { allowedOrigins: ['app://app', /^https:\/\/([a-z]+\.)?example\.com$/] })
   */
  allowedOrigins?: ReadonlyArray<string | RegExp>;
  /**
   * Accepts subframes (with `nodeIntegrationInSubFrames`, their preloads can ask too) when both
   * the subframe and its top frame are allowed. Off: only the main frame connects.
   * @default false
   * @example rendererEndpoint(win.webContents, { allowSubframes: true, allowedOrigins: ['app://app'] })
   */
  allowSubframes?: boolean;
  /**
   * The directory `file:` pages must be inside to connect (when `'file://'` is allowed).
   * @default app.getAppPath()
   * @example rendererEndpoint(win.webContents, { appPath: join(app.getAppPath(), 'renderer') })
   */
  appPath?: string;
  /**
   * Sees every request main did not take, with why (see `ElectronIgnoredReason`).
   * @default undefined (ignored silently)
   * @example rendererEndpoint(win.webContents, { onIgnored: (reason, data) => console.warn('portwire ignored', reason, data) })
   */
  onIgnored?: (reason: ElectronIgnoredReason, data: unknown) => void;
  /**
   * Electron's main-process module (`MessageChannelMain`, `app`), for use outside Electron.
   * @default require('electron'), asked for when the endpoint is made (never at import)
   * @example rendererEndpoint(contents, { electron: { MessageChannelMain, app } })
   */
  electron?: ElectronMain;
}

const FILE = 'file://';

/**
 * What an allowlist entry or a first URL stands for: an origin, `'file://'`, or "null". A custom
 * scheme with a host (`app://app`) has the origin Chromium gives a scheme registered as standard.
 */
function originOf(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'file:') return FILE;
    if (parsed.origin !== 'null') return parsed.origin;
    return parsed.host && !/^(data|blob|about|javascript):$/.test(parsed.protocol) ? `${parsed.protocol}//${parsed.host}` : 'null';
  } catch {
    return 'null';
  }
}

function allowedOrigin(value: string | RegExp): string | RegExp {
  if (typeof value !== 'string') return value;
  const origin = originOf(value);
  if (origin === 'null') {
    throw new PortwireError('BAD_ORIGIN', `portwire: allowedOrigins takes origins like 'app://app', 'https://app.example' or 'file://', or RegExps; got ${JSON.stringify(value)} (the opaque origin "null" never connects)`);
  }
  return origin;
}

/** True when the `file:` URL names a path strictly inside `root`. */
function inside(url: string, root: string): boolean {
  try {
    const path = relative(root, fileURLToPath(url));
    return path !== '' && !path.startsWith('..') && !isAbsolute(path);
  } catch {
    return false;
  }
}

/**
 * The sender check of one WebContents: returns why a frame may not connect, or undefined when it
 * may. The default allowlist is the origin of the first page seen (now, or the first
 * 'did-navigate'); `stop` stops waiting for it.
 */
export function senderRules(contents: WebContentsLike, options: SenderOptions, electron: () => ElectronMain) {
  let allowed = options.allowedOrigins?.map(allowedOrigin);
  let appPath = options.appPath;
  // A blank page is no page of the app's yet: the allowlist is taken from the first real one.
  const real = (url: string) => !!url && url !== 'about:blank';
  const onNavigate = (_event: unknown, url: string) => {
    if (!real(url)) return;
    allowed ??= [originOf(url)];
    contents.off('did-navigate', onNavigate);
  };
  const first = contents.isDestroyed() ? '' : contents.getURL();
  if (!allowed && real(first)) allowed = [originOf(first)];
  if (!allowed) contents.on('did-navigate', onNavigate);

  const permits = (frame: FrameLike): boolean => {
    const url = String(frame.url);
    if (url.startsWith('file:')) {
      if (!allowed?.includes(FILE)) return false;
      appPath ??= electron().app?.getAppPath();
      return typeof appPath === 'string' && inside(url, appPath);
    }
    const origin = String(frame.origin);
    if (origin === 'null' || origin === '') return false;
    return !!allowed?.some((entry) => (typeof entry === 'string' ? entry === origin : origin.search(entry) !== -1));
  };

  return {
    check(frame: FrameLike | null): ElectronIgnoredReason | undefined {
      if (!frame || frame.detached) return 'sender';
      const top = frame.top ?? frame;
      if (frame.parent && !options.allowSubframes) return 'frame';
      return permits(frame) && (top === frame || permits(top)) ? undefined : 'origin';
    },
    /** What the allowlist is, for error messages. */
    describe: () => (allowed ? allowed.map(String).join(', ') : 'the first page the window loads'),
    stop: () => contents.off('did-navigate', onNavigate),
  };
}
