import {
  createPeer,
  isPortwireError,
  PeerClosedError,
  transfer,
  windowEndpoint,
  type IgnoredReason,
  type Peer,
  type RemoteIterator,
  type WindowEndpointOptions,
} from '../../src/index';
import { counting, createWindowApi, settle, type Command, type Settled, type WindowApi } from './window.api';

// The top page of e2e/windows.spec.ts, on http://localhost:<port>. Its child windows (iframes and
// popups, window.child.ts) come from http://127.0.0.1:<port>: the same Vite server under a second
// origin. Each scenario runs here against real windows and returns plain data; the spec asserts.

const CHILD = location.origin.replace('localhost', '127.0.0.1');
const MARK = 'portwire:2';
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const end = performance.now() + ms;
  while (!check()) {
    if (performance.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(5);
  }
}

/** Asks the child for its state until `check` holds for it; returns that state. */
async function childState(win: Window, check: (state: any) => boolean, what: string): Promise<any> {
  const end = performance.now() + 5000;
  for (;;) {
    const state = await command(win, 'state');
    if (check(state)) return state;
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(state)}`);
    await sleep(10);
  }
}

const escaped: string[] = [];
addEventListener('unhandledrejection', (event) => escaped.push(`unhandledrejection: ${String(event.reason?.stack ?? event.reason)}`));

// Anyone in this window listening to window messages: portwire's traffic must never pass here.
let spiedWire = 0;
addEventListener('message', (event) => Array.isArray(event.data) && event.data[0] === MARK && spiedWire++);

// ── test plumbing: child windows and commands ──────────────────────────────────────────────

function childUrl(params: Record<string, string> = {}, page = 'window.child.html'): string {
  return `${CHILD}/e2e/pages/${page}?${new URLSearchParams({ to: location.origin, ...params })}`;
}

/** Resolves when `win` (or, with no argument, any window) says its document runs. */
function loaded(win?: () => Window | null): Promise<Window> {
  return new Promise((resolve) => {
    const onMessage = (event: MessageEvent) => {
      if (!event.data?.pwtestLoaded || (win && event.source !== win())) return;
      removeEventListener('message', onMessage);
      resolve(event.source as Window);
    };
    addEventListener('message', onMessage);
  });
}

/** An iframe on `src`; resolves once its document runs (`plain` pages: once it has loaded). */
async function addFrame(src: string, attributes: Record<string, string> = {}, plain = false): Promise<HTMLIFrameElement> {
  const frame = document.createElement('iframe');
  for (const [key, value] of Object.entries(attributes)) frame.setAttribute(key, value);
  frame.src = src;
  const ready = plain ? new Promise((resolve) => frame.addEventListener('load', resolve, { once: true })) : loaded(() => frame.contentWindow);
  document.body.append(frame);
  await ready;
  return frame;
}

let nextCommand = 1;
/** Runs a test command in a child window (see window.child.ts) and returns its answer. */
function command(win: Window, op: string, args: Record<string, unknown> = {}): Promise<any> {
  const id = nextCommand++;
  return new Promise((resolve) => {
    const onMessage = (event: MessageEvent) => {
      if (event.source !== win || event.data?.pwtestReply !== id) return;
      removeEventListener('message', onMessage);
      resolve(event.data.value);
    };
    addEventListener('message', onMessage);
    win.postMessage({ pwtest: { op, id, ...args } satisfies Command }, '*');
  });
}

/** A peer of this page on `win`, with its own handlers, handler count and ignored reasons. */
function connect(win: Window, options: WindowEndpointOptions = {}, peerOptions: { heartbeat?: number } = {}) {
  const ignored: IgnoredReason[] = [];
  const { api, state } = createWindowApi('top');
  const endpoint = windowEndpoint(win, { targetOrigin: CHILD, onIgnored: (reason) => ignored.push(reason), ...options });
  const peer: Peer<WindowApi> = createPeer<WindowApi>(endpoint, { handlers: api, middleware: [counting(state)], ...peerOptions });
  return { peer, remote: peer.remote, ignored, state, endpoint };
}

const codeOf = (run: () => unknown): unknown => {
  try {
    run();
    return 'no error';
  } catch (error) {
    return isPortwireError(error) ? error.code : String(error);
  }
};

async function* upTo(n: number) {
  for (let i = 0; i < n; i++) yield i;
}

async function readAll(iterable: AsyncIterable<number>): Promise<{ length: number; inOrder: boolean }> {
  const seen: number[] = [];
  for await (const value of iterable) seen.push(value);
  return { length: seen.length, inOrder: seen.every((value, i) => value === i) };
}

/** Reads `iterator` until it fails; settles with that failure. */
async function drain(iterator: RemoteIterator<number>): Promise<number> {
  let count = 0;
  while (!(await iterator.next()).done) count++;
  return count;
}

/** Everything a working connection does, both ways, with `remote` on the other window. */
async function exercise(c: ReturnType<typeof connect>) {
  const { remote, state } = c;
  const r: Record<string, unknown> = {};
  r.whoami = await remote.whoami();
  r.add = await remote.add(2, 3);
  for (let i = 0; i < 5; i++) remote.$notify('note', i);
  r.notesThere = await remote.notes();
  remote.notifyBack(3);
  await until(() => state.notes.length === 3, 5000, 'notifications from the child');
  r.notesHere = [...state.notes];
  r.callBack = await remote.callBack('xyz');
  r.download = await readAll(remote.count(1000));
  r.upload = await remote.sum(upTo(300));
  r.readBack = (await remote.readBack(500)).length;
  r.uploadBack = await remote.uploadBack(300);
  const buffer = new ArrayBuffer(1024);
  r.transferOut = [await remote.byteLength(transfer(buffer, [buffer])), buffer.byteLength];
  const back = await remote.makeBuffer(2048);
  r.transferIn = [back.byteLength, new Uint8Array(back)[0]];
  r.transferBack = await remote.transferBack(4096);
  return r;
}

// ── scenarios ──────────────────────────────────────────────────────────────────────────────

const scenarios = {
  /** A cross-origin iframe on an allowed origin: everything works, over the private port only. */
  async basics() {
    const frame = await addFrame(childUrl({ auto: '', name: 'A' }));
    const win = frame.contentWindow!;
    const c = connect(win);
    const r = await exercise(c);
    c.peer.close();
    const child = await childState(win, (s) => s.closed[''] !== null, 'the child to see the close');
    frame.remove();
    return { ...r, childClosed: child.closed[''], ignored: c.ignored, spiedWire, childSpied: child.spiedWire, childEscaped: child.escaped };
  },

  /** The top page accepts only another origin: the child's handshake and forgeries reach nothing. */
  async disallowed() {
    const frame = await addFrame(childUrl({ auto: '', name: 'A' }));
    const win = frame.contentWindow!;
    const c = connect(win, { allowedOrigins: ['http://example.invalid'] });
    const childCall = command(win, 'call', { method: 'whoami', args: [], timeout: 600 });
    await command(win, 'post', {
      items: [
        [MARK, 0, 2, 1, 'whoami', [], 0],
        [MARK, 0, 3, 'note', ['forged']],
        { portwire: 'window', version: MARK, channel: '', kind: 'hello', from: 0 },
      ],
    });
    await command(win, 'forgePort', { to: 0.5 });
    const topCall = await settle(c.remote.$call('add', [1, 2], { timeout: 600 }));
    const r = { childCall: await childCall, topCall, handled: c.state.handled, notes: c.state.notes, ignored: [...new Set(c.ignored)] };
    c.peer.close();
    frame.remove();
    return r;
  },

  /** Two iframes of one origin: only the target one is heard, whatever the other sends first. */
  async sibling() {
    const b = await addFrame(childUrl({ auto: '', name: 'B' }));
    const a = document.createElement('iframe');
    a.src = childUrl({ auto: '', name: 'A' });
    document.body.append(a);
    const c = connect(a.contentWindow!);
    // B greets first (its auto start), then forges handshakes and wire messages while A loads.
    await command(b.contentWindow!, 'post', {
      items: [
        { portwire: 'window', version: MARK, channel: '', kind: 'hello', from: 0 },
        { portwire: 'window', version: MARK, channel: '', kind: 'hello', from: 0.999 },
        [MARK, 0, 0],
        [MARK, 0, 2, 1, 'note', ['from B'], 0],
      ],
    });
    for (const to of [0, 0.25, 0.5, 0.75]) await command(b.contentWindow!, 'forgePort', { to });
    const whoami = await c.remote.whoami();
    const bCall = await command(b.contentWindow!, 'call', { method: 'note', args: ['B calls'], timeout: 600 });
    const bState = await command(b.contentWindow!, 'state');
    const r = { whoami, add: await c.remote.add(1, 1), bCall, bHandled: bState.handled, topNotes: c.state.notes, ignored: [...new Set(c.ignored)] };
    c.peer.close();
    a.remove();
    b.remove();
    return r;
  },

  /** Junk both ways, before, during and after the handshake; the connection is untouched. */
  async junk() {
    const frame = await addFrame(childUrl({ auto: '', name: 'A' }));
    const win = frame.contentWindow!;
    const items = junkItems(300);
    for (const item of items) win.postMessage(item, '*');
    await command(win, 'post', { items });
    const c = connect(win);
    for (const item of items) win.postMessage(item, '*');
    // Forged handshakes from a third window (this one, to itself): every one has the wrong source.
    for (const from of [0, 0.5, 0.999]) window.postMessage({ portwire: 'window', version: MARK, channel: '', kind: 'hello', from }, '*');
    const { port2 } = new MessageChannel();
    window.postMessage({ portwire: 'window', version: MARK, channel: '', kind: 'port', from: 0, to: 0.5 }, '*', [port2]);
    const first = await c.remote.add(20, 22);
    await command(win, 'post', { items });
    for (const to of [0, 0.5]) await command(win, 'forgePort', { to });
    for (const item of items) win.postMessage(item, '*');
    await sleep(50);
    const r = {
      first,
      second: await c.remote.whoami(),
      topHandled: c.state.handled,
      childHandled: (await command(win, 'state')).handled,
      closed: c.peer.closed,
      ignored: [...new Set(c.ignored)].sort(),
      childIgnored: [...new Set((await command(win, 'state')).ignored[''])].sort(),
      childEscaped: (await command(win, 'state')).escaped,
      count: items.length,
    };
    c.peer.close();
    frame.remove();
    return r;
  },

  /** The iframe leaves (`how`) mid-call and mid-stream; a new endpoint after `load` works. */
  async leaveMidCall(how: 'reload' | 'src' | 'navigate' | 'remove') {
    const frame = await addFrame(childUrl({ auto: '', name: 'A' }));
    const c = connect(frame.contentWindow!);
    await c.remote.whoami();
    const call = settle(c.remote.hang('h'));
    const iterator = await c.remote.count(1_000_000, 2);
    await iterator.next();
    const stream = settle(drain(iterator));
    const upload = settle(
      c.remote.sum(
        (async function* () {
          for (let i = 0; ; i++) {
            await sleep(2);
            yield i;
          }
        })(),
      ),
    );
    await sleep(30);
    const reloaded = how === 'remove' ? undefined : loaded(() => frame.contentWindow);
    const t0 = performance.now();
    if (how === 'reload') c.remote.leave('reload');
    else if (how === 'navigate') c.remote.leave('navigate', `${CHILD}/e2e/pages/window.plain.html`);
    else if (how === 'src') frame.src = childUrl({ auto: '', name: 'A2' });
    else frame.remove();
    const outcomes = { call: await call, stream: await stream, upload: await upload };
    const ms = performance.now() - t0;
    const r: Record<string, unknown> = { outcomes, ms, closed: c.peer.closed, peerClosed: (await call).name === 'PeerClosedError' };
    if (how === 'reload' || how === 'src') {
      await reloaded;
      const again = connect(frame.contentWindow!);
      r.again = await again.remote.whoami();
      r.againStream = await readAll(again.remote.count(100));
      again.peer.close();
    }
    frame.remove();
    return r;
  },

  /** Handshakes that cannot complete: the timeout says with whom, and the likely reason. */
  async handshakeFailures() {
    const frame = await addFrame(childUrl({ auto: '', name: 'A' }));
    const plain = await addFrame(`${CHILD}/e2e/pages/window.plain.html`, {}, true);
    const attempt = async (win: Window, options: WindowEndpointOptions, then?: () => unknown) => {
      const c = connect(win, options);
      const outcome = settle(c.remote.$call('add', [1, 2], { timeout: 400 }));
      await then?.();
      const result = await outcome;
      c.peer.close();
      return result;
    };
    const r = {
      wrongTarget: await attempt(frame.contentWindow!, { targetOrigin: 'http://localhost:5999' }),
      wrongTargetLate: await attempt(frame.contentWindow!, { targetOrigin: 'http://localhost:5999', channel: 'late' }, () =>
        command(frame.contentWindow!, 'start', { channel: 'late' }),
      ),
      notAllowed: await attempt(frame.contentWindow!, { allowedOrigins: ['https://other.example'] }),
      noPortwire: await attempt(plain.contentWindow!, {}),
      noWindow: codeOf(() => windowEndpoint(null as never)),
      badOrigin: codeOf(() => windowEndpoint(window, { targetOrigin: 'not an origin' })),
      starAllowed: codeOf(() => windowEndpoint(window, { targetOrigin: '*', allowedOrigins: ['*'] })),
      normalized: await (async () => {
        // An origin written as a URL is used as its origin.
        const c = connect(frame.contentWindow!, { targetOrigin: `${CHILD}/some/path?q`, channel: 'n' });
        await command(frame.contentWindow!, 'start', { channel: 'n' });
        const answer = await c.remote.whoami();
        c.peer.close();
        return answer;
      })(),
    };
    frame.remove();
    plain.remove();
    return r;
  },

  /** Child first, top first, both at once (20 times), and named channels started crosswise. */
  async orders() {
    const frame = await addFrame(childUrl({ name: 'C' }));
    const win = frame.contentWindow!;
    const r: Record<string, unknown> = {};
    await command(win, 'start', { channel: 'first' });
    await sleep(30); // its hello has arrived here and found no endpoint
    const childFirst = connect(win, { channel: 'first' });
    r.childFirst = await childFirst.remote.whoami();
    const topFirst = connect(win, { channel: 'second' });
    await sleep(30);
    await command(win, 'start', { channel: 'second' });
    r.topFirst = await topFirst.remote.whoami();
    const together = [];
    for (let i = 0; i < 20; i++) {
      // The command leaves before this side's hello, so both hellos cross in flight.
      void command(win, 'start', { channel: `t${i}` });
      together.push(connect(win, { channel: `t${i}` }));
    }
    r.together = await Promise.all(together.map((c) => c.remote.whoami()));
    const x = connect(win, { channel: 'x' });
    const y = connect(win, { channel: 'y' });
    await command(win, 'start', { channel: 'y' });
    await command(win, 'start', { channel: 'x' });
    r.crosswise = [await x.remote.whoami(), await y.remote.whoami()];
    const child = await command(win, 'state');
    // The lower id makes the channel; the higher one answers a hello with a hello, which the
    // lower side (already connected) then ignores as 'stale'. So 'stale' here means this side
    // made the channel, 'stale' there means the child did: both must have happened.
    r.topMadeChannel = together.filter((c) => c.ignored.includes('stale')).length;
    r.childMadeChannel = together.filter((_, i) => child.ignored[`t${i}`].includes('stale')).length;
    r.anyClosed = Object.values(child.closed).some((v) => v !== null);
    for (const c of [childFirst, topFirst, x, y, ...together]) c.peer.close();
    frame.remove();
    return r;
  },

  /** Another protocol version on either side closes the connection at once, naming both. */
  async versionMismatch() {
    const frame = await addFrame(childUrl({ name: 'V' }));
    const win = frame.contentWindow!;
    // (a) This side is real; the child window greets as another version would.
    const c = connect(win, { channel: 'v1' });
    const pending = settle(c.remote.add(1, 2));
    await command(win, 'post', { items: [{ portwire: 'window', version: 'portwire:999', channel: 'v1', kind: 'hello', from: 0.3 }] });
    const a = { pending: await pending, later: await settle(c.remote.add(1, 2)), ignored: [...new Set(c.ignored)] };
    // (b) The child is real; this side greets as another version, and hears the child answer.
    const hellos: unknown[] = [];
    const spy = (event: MessageEvent) => event.source === win && event.data?.channel === 'v2' && hellos.push(event.data.version);
    addEventListener('message', spy);
    await command(win, 'start', { channel: 'v2' });
    await until(() => hellos.length === 1, 5000, 'the child hello');
    win.postMessage({ portwire: 'window', version: 'portwire:0', channel: 'v2', kind: 'hello', from: 0.3 }, CHILD);
    await until(() => hellos.length === 2, 5000, 'the child answering the other version');
    const childClosed = (await childState(win, (s) => s.closed.v2 !== null, 'the child closing')).closed.v2;
    removeEventListener('message', spy);
    frame.remove();
    return { a, b: { hellos, childClosed } };
  },

  /** The connected window greets again with a new id: a new document there, even one whose old document left no goodbye. */
  async replaced() {
    const frame = await addFrame(childUrl({ auto: '', name: 'R' }));
    const c = connect(frame.contentWindow!);
    await c.remote.whoami();
    const pending = settle(c.remote.hang('r'));
    await command(frame.contentWindow!, 'post', { items: [{ portwire: 'window', version: MARK, channel: '', kind: 'hello', from: 0.123 }] });
    const r = { pending: await pending, closed: c.peer.closed };
    frame.remove();
    return r;
  },

  /** A sandboxed iframe without allow-same-origin: refused without the opt-in, working with it. */
  async opaque() {
    const sandbox = { sandbox: 'allow-scripts' };
    const refusedFrame = await addFrame(childUrl({ auto: '', name: 'S' }), sandbox);
    const win = refusedFrame.contentWindow!;
    const r: Record<string, unknown> = {
      targetNull: codeOf(() => windowEndpoint(win, { targetOrigin: 'null' })),
      allowedNull: codeOf(() => windowEndpoint(win, { targetOrigin: '*', allowedOrigins: ['null'] })),
      optInNoStar: codeOf(() => windowEndpoint(win, { allowOpaqueOrigin: true })),
    };
    const refused = connect(win, { targetOrigin: '*' });
    r.refused = await settle(refused.remote.add(1, 2));
    r.refusedIgnored = [...new Set(refused.ignored)];
    r.refusedHandled = refused.state.handled;
    const child = await command(win, 'state');
    r.childOrigin = child.origin;
    r.childDefault = child.defaultError;
    refusedFrame.remove();
    const frame = await addFrame(childUrl({ auto: '', name: 'S' }), sandbox);
    const c = connect(frame.contentWindow!, { targetOrigin: '*', allowOpaqueOrigin: true });
    r.optIn = await exercise(c);
    c.peer.close();
    frame.remove();
    return r;
  },

  // ── popups ──
  popup: undefined as Window | undefined,
  popupPeer: undefined as ReturnType<typeof connect> | undefined,
  inFlight: undefined as Promise<Record<string, Settled>> | undefined,
  leftAt: 0,

  /** Opens a cross-origin popup (it talks to `window.opener`) and connects to it. */
  async openPopup() {
    const popup = open(childUrl({ auto: '', name: 'P', peer: 'opener' }), '_blank')!;
    scenarios.popup = popup;
    scenarios.popupPeer = connect(popup, {}, { heartbeat: 0 });
    return scenarios.popupPeer.remote.whoami();
  },

  /** Streams and notifications both ways with the popup. */
  async popupTraffic() {
    return exercise(scenarios.popupPeer!);
  },

  /** Starts a call, a download and an upload to the popup, all in flight. */
  async popupInFlight() {
    const { remote } = scenarios.popupPeer!;
    const call = settle(remote.hang('p'));
    const iterator = await remote.count(1_000_000, 2);
    await iterator.next();
    const stream = settle(drain(iterator));
    const upload = settle(
      remote.sum(
        (async function* () {
          for (let i = 0; ; i++) {
            await sleep(2);
            yield i;
          }
        })(),
      ),
    );
    scenarios.inFlight = Promise.all([call, stream, upload]).then(([c, s, u]) => ({ call: c, stream: s, upload: u }));
    await sleep(30);
    scenarios.leftAt = performance.now();
  },

  /** Waits for what was in flight; `ms` counts from when the popup was closed. */
  async popupOutcomes(closeHere: boolean) {
    if (closeHere) {
      scenarios.leftAt = performance.now();
      scenarios.popup!.close();
    }
    const outcomes = await scenarios.inFlight!;
    return { outcomes, ms: performance.now() - scenarios.leftAt, closed: scenarios.popupPeer!.peer.closed };
  },
};

/** Structured-cloneable junk: fixed oddities plus random objects made of handshake-like fields. */
function junkItems(random: number): unknown[] {
  const base = { portwire: 'window', version: MARK, channel: '' };
  const fixed: unknown[] = [
    null, undefined, 0, 42, NaN, 'str', true, [], {}, [MARK], [MARK, 0], [MARK, 0, 0], [MARK, 0, 1], [MARK, 0, 7],
    [MARK, 0, 2, 1, 'add', [1, 2], 0], [MARK, 0, 3, 'note', ['junk']], ['portwire:1', 0, 2, 1, 'add', [1, 2], 0],
    { portwire: 'window' }, { portwire: 'window', version: 2, channel: '' }, { ...base, channel: 5 },
    { ...base, kind: 'hello' }, { ...base, kind: 'hello', from: 'x' }, { ...base, kind: 'hello', from: NaN },
    { ...base, kind: 'hello', from: -1 }, { ...base, kind: 'hello', from: 2 }, { ...base, kind: 'hello', from: Infinity },
    { ...base, kind: 'port', from: 0, to: 0.5 }, { ...base, kind: 'port', from: 0 }, { ...base, kind: 'bogus', from: 0.1 },
    { ...base, channel: 'other', kind: 'hello', from: 0 }, { ...base, version: 'portwire:1', kind: 'port', from: 0, to: 0.5 },
    Object.assign([MARK, 0], { constructor: 'x' }), Object.assign(Object.create(null), base, { kind: 'hello', from: 'x' }),
    new Uint8Array(64), new Map([[1, 2]]), new Set(['portwire']), new Date(0), /portwire/, new Error('junk'),
    'x'.repeat(100_000), { a: { b: { c: { d: [MARK, 0, 2, 1, 'add', [1, 2], 0] } } } }, Array.from({ length: 1000 }, (_, i) => i),
  ];
  const values = ['window', MARK, 'portwire:1', '', 'other', 'hello', 'port', 0, 0.5, 1, -1, NaN, null, {}, [], 'x'];
  const keys = ['portwire', 'version', 'channel', 'kind', 'from', 'to', '__proto__', 'constructor'];
  let seed = 7;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = <T>(list: T[]): T => list[Math.floor(next() * list.length)]!;
  const made: unknown[] = [];
  while (made.length < random) {
    const item: Record<string, unknown> = {};
    for (let k = 0; k < 1 + Math.floor(next() * 6); k++) item[pick(keys)] = pick(values);
    // A well-formed hello from the target window is the other side speaking, not junk: of this
    // version it is a new document there, of another version a mismatch. Both close the connection.
    const hello = item.portwire === 'window' && item.channel === '' && item.kind === 'hello' && typeof item.version === 'string';
    const valid = item.version !== MARK || (typeof item.from === 'number' && item.from >= 0 && item.from < 1);
    if (!(hello && valid)) made.push(item);
  }
  return [...fixed, ...made];
}

declare global {
  interface Window {
    wt: typeof scenarios & { escaped: string[]; CHILD: string; PeerClosedError: typeof PeerClosedError };
  }
}

window.wt = Object.assign(scenarios, { escaped, CHILD, PeerClosedError });
