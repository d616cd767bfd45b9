import { connect, windowEndpoint } from '../src/index';
import type { OpenerApi } from './windows';

const byId = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const input = byId<HTMLInputElement>('text');

const popupApi = {
  /** Draws each colour of an upload from the opener as it arrives. */
  async paint(colours: AsyncIterable<string>) {
    let painted = 0;
    for await (const colour of colours) {
      byId('canvas').style.background = colour;
      painted++;
    }
    return painted;
  },
  /** What is typed in the input, each time it changes, until the reader stops. */
  async *typing() {
    // Typing goes on while the reader is busy: remember that something changed, and send the
    // latest text at the next pull, so the last keystroke is never lost.
    let changed = false;
    let wake: (() => void) | undefined;
    const onInput = () => {
      changed = true;
      wake?.();
    };
    input.addEventListener('input', onInput);
    try {
      for (;;) {
        if (!changed) await new Promise<void>((resolve) => (wake = resolve));
        changed = false;
        yield input.value;
      }
    } finally {
      input.removeEventListener('input', onInput);
    }
  },
};
export type PopupApi = typeof popupApi;

if (!window.opener) byId('status').textContent = 'Open this page from the Windows demo: it needs its opener.';
else {
  const opener = connect<OpenerApi>(windowEndpoint(window.opener, { targetOrigin: location.origin }), { handlers: popupApi });
  byId('status').textContent = 'Connected to the opener.';
  byId('wave').onclick = () => opener.$notify('message', `hello at ${new Date().toLocaleTimeString('en-GB')}`);
}
