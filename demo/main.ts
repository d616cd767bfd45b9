import { AbortError, connect } from '../src/index';
import type { View } from './mandelbrot';
import type { PrimeProgress } from './primes';
import type { DemoApi } from './worker';

// The whole portwire setup: a module worker and a typed proxy of what it exposes.
const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
const remote = connect<DemoApi>(worker);

const byId = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const format = (n: number) => n.toLocaleString('en-US');
const describe = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

type Tone = 'busy' | 'ok' | 'cancelled' | 'error';
function show(status: HTMLElement, text: string, tone: Tone): void {
  status.textContent = text;
  status.dataset.tone = tone;
}

// ── the main thread's heartbeat ──
// Driven by requestAnimationFrame rather than CSS, so it really stops if the page's thread is blocked.
const spinner = byId('spinner');
const frames = byId<HTMLOutputElement>('frames');
let frameCount = 0;
requestAnimationFrame(function tick(time) {
  frames.value = String(++frameCount);
  spinner.style.transform = `rotate(${(time / 3) % 360}deg)`;
  requestAnimationFrame(tick);
});

// ── offload a call, with Cancel ──
const canvas = byId<HTMLCanvasElement>('fractal');
const renderButtons = [byId<HTMLButtonElement>('render'), byId<HTMLButtonElement>('render-heavy')];
const cancelButton = byId<HTMLButtonElement>('cancel');
const renderStatus = byId('render-status');
const quick: View = { width: canvas.width, height: canvas.height, centerX: -0.6, centerY: 0, span: 3.2, maxIterations: 300 };
const heavy: View = { ...quick, maxIterations: 100_000 };
let rendering: AbortController | undefined;

async function render(view: View): Promise<void> {
  rendering = new AbortController();
  for (const button of renderButtons) button.disabled = true;
  cancelButton.disabled = false;
  show(renderStatus, `Rendering with ${format(view.maxIterations)} iterations per point…`, 'busy');
  const started = performance.now();
  try {
    // No timeout: a heavy render may take a while, and the user has Cancel instead.
    const pixels = await remote.$call('mandelbrot', [view], { signal: rendering.signal, timeout: 0 });
    const image = new ImageData(new Uint8ClampedArray(pixels), view.width, view.height);
    canvas.getContext('2d')!.putImageData(image, 0, 0);
    show(renderStatus, `Rendered in ${format(Math.round(performance.now() - started))} ms.`, 'ok');
  } catch (error) {
    if (error instanceof AbortError) show(renderStatus, `Cancelled — ${describe(error)}`, 'cancelled');
    else show(renderStatus, `Failed — ${describe(error)}`, 'error');
  } finally {
    rendering = undefined;
    for (const button of renderButtons) button.disabled = false;
    cancelButton.disabled = true;
  }
}

renderButtons[0]!.onclick = () => render(quick);
renderButtons[1]!.onclick = () => render(heavy);
cancelButton.onclick = () => rendering?.abort();

// ── a live stream, with Stop ──
const LIMIT = 2_000_000_000;
const countButton = byId<HTMLButtonElement>('count');
const stopButton = byId<HTMLButtonElement>('stop');
const bar = byId<HTMLProgressElement>('prime-progress');
const primeStatus = byId('prime-status');
let stopRequested = false;

function showProgress({ checked, found, largest }: PrimeProgress): void {
  bar.value = checked / LIMIT;
  byId('checked').textContent = format(checked);
  byId('found').textContent = format(found);
  byId('largest').textContent = format(largest);
}

async function countPrimes(): Promise<void> {
  stopRequested = false;
  countButton.disabled = true;
  stopButton.disabled = false;
  show(primeStatus, 'Counting in the worker…', 'busy');
  try {
    for await (const progress of remote.countPrimes(LIMIT)) {
      showProgress(progress);
      // Leaving the loop tells the worker to stop producing; its generator's `finally` runs there.
      if (stopRequested) break;
    }
    const summary = await remote.lastPrimeCount();
    if (summary.complete) show(primeStatus, `Done: ${format(summary.found)} primes below ${format(LIMIT)}.`, 'ok');
    else show(primeStatus, `Stopped. The worker's finally ran after checking up to ${format(summary.checked)}.`, 'cancelled');
  } catch (error) {
    show(primeStatus, `Failed — ${describe(error)}`, 'error');
  } finally {
    countButton.disabled = false;
    stopButton.disabled = true;
  }
}

countButton.onclick = () => countPrimes();
stopButton.onclick = () => {
  stopRequested = true;
  show(primeStatus, 'Stopping…', 'busy');
};
