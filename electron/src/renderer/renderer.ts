// The demo's page. One file for both windows: ?role=main is the first window, ?role=peer the second.
import { createPeer, mainEndpoint, transfer, type Remote } from 'portwire/electron/renderer';
import type { MainApi, PageApi, PeerApi } from '../api.js';

const role = new URLSearchParams(location.search).get('role') === 'peer' ? 'peer' : 'main';
const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const say = (id: string, text: string, tone?: 'ok' | 'bad') => {
  const status = $(id);
  status.textContent = text;
  status.className = `status${tone ? ` ${tone}` : ''}`;
};
const log = (list: string, text: string) => {
  const item = document.createElement('li');
  item.textContent = text;
  $(list).prepend(item);
};

/** The other window, over the port main brokered; both pages run this. */
function linkPeer(handlers: PeerApi): Remote<PeerApi> {
  return createPeer<PeerApi>(mainEndpoint({ channel: 'peer' }), { handlers, timeout: 10_000 }).remote;
}

if (role === 'peer') {
  document.title = 'portwire · second window';
  $('main-role').hidden = true;
  $('peer-role').hidden = false;
  $('versions').textContent = 'linked to the first window';
  linkPeer({
    hello: (from, text) => {
      log('peer-log', `${from} says: ${text}`);
      return `hello back from the second window at ${location.origin}`;
    },
    bytes: (buffer) => {
      log('peer-log', `received ${buffer.byteLength} bytes, moved without a copy`);
      return buffer.byteLength;
    },
  });
} else {
  const pageApi: PageApi = { notice: (text) => log('notices', text) };
  const main = createPeer<MainApi>(mainEndpoint(), { handlers: pageApi }).remote;

  void main.info().then(
    (info) => ($('versions').textContent = `Electron ${info.electron} · Chromium ${info.chrome} · Node ${info.node} · main pid ${info.pid}`),
    (error: Error) => ($('versions').textContent = `main did not answer: ${error.message}`),
  );

  $('add').addEventListener('click', async () => {
    say('add-status', `main says 2 + 3 = ${await main.add(2, 3)}`, 'ok');
  });

  let clock: AbortController | undefined;
  $('clock-start').addEventListener('click', async () => {
    clock = new AbortController();
    ($('clock-start') as HTMLButtonElement).disabled = true;
    ($('clock-stop') as HTMLButtonElement).disabled = false;
    let ticks = 0;
    try {
      for await (const time of main.$call('clock', [100], { signal: clock.signal })) {
        $('clock').textContent = time;
        say('clock-status', `${++ticks} ticks streamed from main`);
      }
    } catch (error) {
      say('clock-status', `stopped after ${ticks} ticks (${(error as Error).name})`, 'ok');
    } finally {
      ($('clock-start') as HTMLButtonElement).disabled = false;
      ($('clock-stop') as HTMLButtonElement).disabled = true;
    }
  });
  $('clock-stop').addEventListener('click', () => clock?.abort());

  let other: Remote<PeerApi> | undefined;
  $('open-peer').addEventListener('click', async () => {
    await main.openPeer();
    other ??= linkPeer({ hello: (from, text) => `first window got "${text}" from ${from}`, bytes: (buffer) => buffer.byteLength });
    ($('say-hello') as HTMLButtonElement).disabled = false;
    ($('send-bytes') as HTMLButtonElement).disabled = false;
    say('peer-status', 'Second window open: its page and this one ask main for the two ends of one channel.');
  });
  $('say-hello').addEventListener('click', async () => {
    say('peer-status', `the second window answered: ${await other!.hello('the first window', 'hi there')}`, 'ok');
  });
  $('send-bytes').addEventListener('click', async () => {
    const buffer = new ArrayBuffer(8 * 1024 * 1024);
    const size = await other!.bytes(transfer(buffer, [buffer]));
    say('peer-status', `moved ${size} bytes to the second window; here the buffer is now ${buffer.byteLength} bytes (transferred)`, 'ok');
  });

  let job: AbortController | undefined;
  $('job-run').addEventListener('click', async () => {
    job = new AbortController();
    ($('job-run') as HTMLButtonElement).disabled = true;
    ($('job-stop') as HTMLButtonElement).disabled = false;
    const bar = $<HTMLProgressElement>('job-progress');
    try {
      for await (const step of main.$call('runJob', [30_000_000], { signal: job.signal })) {
        bar.value = step.done / step.total;
        if (step.result !== undefined) say('job-status', `done in utility process ${step.pid}: sum of square roots = ${step.result.toExponential(6)}`, 'ok');
        else say('job-status', `utility process ${step.pid}: ${Math.round((100 * step.done) / step.total)} %`);
      }
    } catch (error) {
      say('job-status', `stopped (${(error as Error).name})`, 'bad');
    } finally {
      ($('job-run') as HTMLButtonElement).disabled = false;
      ($('job-stop') as HTMLButtonElement).disabled = true;
    }
  });
  $('job-stop').addEventListener('click', () => job?.abort());

  $('foreign').addEventListener('click', async () => {
    say('foreign-status', 'loading a data: page with the preload…');
    const reason = await main.tryForeignPage();
    say('foreign-status', `main refused the foreign page's port request: ${reason}`, reason === 'origin' ? 'ok' : 'bad');
  });
}
