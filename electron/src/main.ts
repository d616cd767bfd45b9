// The demo's main process: one window that calls main and is called by it, a second window linked
// to the first by a brokered port, a job in a utilityProcess, and a foreign page that is refused.
// The pages are served from app://app/ (a custom standard scheme, as Electron's security advice
// has it, rather than file://), so their origin is app://app: the one portwire allows by default,
// since it is the origin of the page each window loads first.
import { app, BrowserWindow, net, protocol, utilityProcess, type WebContents } from 'electron';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { brokerPorts, createPeer, rendererEndpoint, utilityEndpoint, type Peer } from 'portwire/electron/main';
import type { JobApi, MainApi, PageApi } from './api.js';

const here = dirname(fileURLToPath(import.meta.url));
const pages = join(here, 'renderer');
const pageURL = (role: 'main' | 'peer') => `app://app/index.html?role=${role}`;

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

/** app://app/<path> answers with the file under out/renderer/, and nothing outside it. */
function servePages(): void {
  protocol.handle('app', (request) => {
    const { host, pathname } = new URL(request.url);
    const file = join(pages, decodeURIComponent(pathname));
    const inside = relative(pages, file);
    if (host !== 'app' || inside.startsWith('..') || inside === '') return new Response('not found', { status: 404 });
    return net.fetch(pathToFileURL(file).toString());
  });
}
const ignored: Array<{ reason: string; url: string }> = [];
let mainWindow: BrowserWindow | undefined;
let peerWindow: BrowserWindow | undefined;
let ui: Peer<PageApi> | undefined;

function openWindow(role: 'main' | 'peer', x = 0): BrowserWindow {
  const win = new BrowserWindow({
    width: 1040,
    height: 820,
    ...(x ? { x } : {}),
    title: role === 'main' ? 'portwire · Electron demo' : 'portwire · second window',
    webPreferences: { preload: join(here, 'preload.cjs'), sandbox: true, contextIsolation: true, nodeIntegration: false },
  });
  return win;
}

const mainApi: MainApi = {
  info: () => ({
    electron: process.versions.electron ?? '?',
    chrome: process.versions.chrome ?? '?',
    node: process.versions.node,
    platform: process.platform,
    pid: process.pid,
  }),
  add: (a, b) => a + b,
  async *clock(intervalMs) {
    try {
      for (;;) {
        yield new Date().toLocaleTimeString(undefined, { hour12: false, fractionalSecondDigits: 1 } as Intl.DateTimeFormatOptions);
        await new Promise((resolve) => setTimeout(resolve, intervalMs));
      }
    } finally {
      ui?.remote.$notify('notice', 'main: the clock stream stopped (its finally ran)');
    }
  },
  openPeer() {
    if (peerWindow && !peerWindow.isDestroyed()) return peerWindow.focus();
    peerWindow = openWindow('peer', 80);
    // Either page may ask first: each gets its end when it asks on channel 'peer'.
    brokerPorts(mainWindow!.webContents, peerWindow.webContents, { channel: 'peer' });
    void peerWindow.loadURL(pageURL('peer'));
  },
  async *runJob(size) {
    const child = utilityProcess.fork(join(here, 'job.js'), [], { serviceName: 'portwire demo job' });
    const jobs = createPeer<JobApi>(utilityEndpoint(child));
    try {
      yield* jobs.remote.crunch(size);
    } finally {
      jobs.close();
      child.kill();
    }
  },
  async tryForeignPage() {
    const guest = new BrowserWindow({ show: false, webPreferences: { preload: join(here, 'preload.cjs'), sandbox: true, contextIsolation: true } });
    const refused = new Promise<string>((resolve) => {
      // Only the app's own pages may connect here; the data: page below has the opaque origin "null".
      const peer = createPeer(
        rendererEndpoint(guest.webContents, {
          allowedOrigins: ['app://app'],
          onIgnored: (reason) => {
            ignored.push({ reason, url: 'data:' });
            ui?.remote.$notify('notice', `main ignored a port request from a data: page (${reason})`);
            peer.close();
            resolve(reason);
          },
        }),
      );
    });
    await guest.loadURL('data:text/html,<title>foreign</title><script>window.portwire.connect("")</script>');
    const reason = await Promise.race([refused, new Promise<string>((resolve) => setTimeout(() => resolve('no request seen'), 5000))]);
    guest.destroy();
    return reason;
  },
  ignored: () => ignored.slice(),
};

/** The peer serving one document of `contents`; a new one for each document the window loads. */
function serve(contents: WebContents): Peer<PageApi> {
  const peer = createPeer<PageApi>(
    rendererEndpoint(contents, { onIgnored: (reason) => void ignored.push({ reason, url: contents.getURL() }) }),
    { handlers: mainApi },
  );
  // A notification from main: queued until the page has connected.
  peer.remote.$notify('notice', `main: hello from Electron ${process.versions.electron}, main process ${process.pid}`);
  return peer;
}

app.whenReady().then(() => {
  servePages();
  mainWindow = openWindow('main');
  ui = serve(mainWindow.webContents);
  mainWindow.webContents.on('did-navigate', () => {
    if (ui?.closed) ui = serve(mainWindow!.webContents);
  });
  void mainWindow.loadURL(pageURL('main'));
});

app.on('window-all-closed', () => app.quit());
