import { connect, windowEndpoint, type Remote } from '../src/index';
import type { PopupApi } from './popup';

const byId = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const button = (id: string) => byId<HTMLButtonElement>(id);

// What the popup may call on this page.
const openerApi = {
  message(text: string) {
    byId('from-popup').prepend(Object.assign(document.createElement('li'), { textContent: `popup: ${text}` }));
  },
};
export type OpenerApi = typeof openerApi;

let popupWindow: Window | null = null;
let popup: Remote<PopupApi> | undefined;
let painting: AbortController | undefined;

function connected(on: boolean): void {
  button('open').disabled = on;
  button('close-popup').disabled = !on;
  button('paint').disabled = !on || painting !== undefined;
}

async function* colours(signal: AbortSignal) {
  for (let hue = 0; !signal.aborted; hue = (hue + 7) % 360) {
    const colour = `hsl(${hue} 70% 80%)`;
    byId('sent-colour').style.background = colour;
    yield colour;
    await new Promise((resolve) => setTimeout(resolve, 60));
  }
}

async function readTyping(remote: Remote<PopupApi>): Promise<void> {
  byId('typing-status').textContent = 'Reading what is typed in the popup…';
  try {
    for await (const text of remote.typing()) byId('typed').textContent = text || '–';
  } catch (error) {
    byId('typing-status').textContent = `The stream ended — ${(error as Error).name}: ${(error as Error).message}`;
    byId('popup-status').textContent = 'The popup is gone.';
    connected(false);
  }
}

button('open').onclick = () => {
  popupWindow = window.open('./popup.html', 'portwire-popup', 'width=420,height=360');
  if (!popupWindow) {
    byId('popup-status').textContent = 'The browser blocked the popup.';
    return;
  }
  popup = connect<PopupApi>(windowEndpoint(popupWindow, { targetOrigin: location.origin }), { handlers: openerApi, heartbeat: 500 });
  byId('popup-status').textContent = 'Popup open and connected.';
  connected(true);
  void readTyping(popup);
};

button('close-popup').onclick = () => popupWindow?.close();

button('paint').onclick = async () => {
  if (!popup) return;
  painting = new AbortController();
  connected(true);
  button('stop-paint').disabled = false;
  byId('paint-status').textContent = 'Painting…';
  try {
    const painted = await popup.paint(colours(painting.signal));
    byId('paint-status').textContent = `Stopped after ${painted} colours.`;
  } catch (error) {
    byId('paint-status').textContent = `Ended — ${(error as Error).name}: ${(error as Error).message}`;
    byId('popup-status').textContent = 'The popup is gone.';
    connected(false);
  } finally {
    painting = undefined;
    button('stop-paint').disabled = true;
    if (popup && !popupWindow?.closed) connected(true);
  }
};
button('stop-paint').onclick = () => painting?.abort();
