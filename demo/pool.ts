import { AbortError, pool, type Pool } from '../src/index';
import type { View } from './mandelbrot';
import type { PoolDemoApi, Tile } from './poolWorker';

const byId = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const format = (n: number) => n.toLocaleString('en-US');
const short = (id: string) => id.slice(0, 6);
const describe = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

type Tone = 'busy' | 'ok' | 'cancelled' | 'error';
function show(status: HTMLElement, text: string, tone: Tone): void {
  status.textContent = text;
  status.dataset.tone = tone;
}

// One colour per worker, in the order they joined.
const PALETTE = ['#ff5a5f', '#3ddc97', '#4b9bff', '#ffc145', '#c86bfa', '#2ec4d6', '#ff8c42', '#a3e635'];

const canvas = byId<HTMLCanvasElement>('fractal');
const context2d = canvas.getContext('2d')!;
const sizeSelect = byId<HTMLSelectElement>('size');
const tintBox = byId<HTMLInputElement>('tint');
const renderButtons = [byId<HTMLButtonElement>('render'), byId<HTMLButtonElement>('render-heavy')];
const cancelButton = byId<HTMLButtonElement>('cancel');
const renderStatus = byId('render-status');
const poolStatus = byId('pool-status');

const quick: View = { width: canvas.width, height: canvas.height, centerX: -0.6, centerY: 0, span: 3.2, maxIterations: 300 };
const heavy: View = { ...quick, maxIterations: 20_000 };
const TILE = { width: 80, height: 50 }; // 8 × 8 tiles

const cores = navigator.hardwareConcurrency || 2;
const defaultSize = Math.max(1, cores - 1); // what pool() picks without `size`
for (let n = 1; n <= Math.max(8, cores); n++) {
  sizeSelect.append(new Option(`${n}${n === defaultSize ? ' (cores − 1)' : ''}`, String(n), n === defaultSize, n === defaultSize));
}

// ── the pool ──
let workers: Pool<PoolDemoApi>;
let colours = new Map<string, string>();
let tilesBy = new Map<string, number>();
let rendering: AbortController | undefined;

function makePool(size: number): void {
  workers?.close();
  colours = new Map();
  tilesBy = new Map();
  // The worker's name is its id in the pool, so each tile can say who drew it.
  workers = pool<PoolDemoApi>((id) => new Worker(new URL('./poolWorker.ts', import.meta.url), { type: 'module', name: id }), { size, eager: true });
  for (const id of workers.peers) colours.set(id, PALETTE[colours.size % PALETTE.length]!);
  workers.on('join', (id) => colours.set(id, PALETTE[colours.size % PALETTE.length]!));
  workers.on('leave', (id, reason) => show(poolStatus, `Worker ${short(id)} left (${reason}); the pool starts another.`, 'cancelled'));
  show(poolStatus, `${size} worker${size === 1 ? '' : 's'} started (eager: true).`, 'ok');
}

function tiles(view: View): Tile[] {
  const all: Tile[] = [];
  for (let y = 0; y < view.height; y += TILE.height) {
    for (let x = 0; x < view.width; x += TILE.width) all.push({ x, y, width: TILE.width, height: TILE.height });
  }
  return all;
}

function paint(tile: Tile, worker: string, pixels: ArrayBuffer): void {
  context2d.putImageData(new ImageData(new Uint8ClampedArray(pixels), tile.width, tile.height), tile.x, tile.y);
  if (!tintBox.checked) return;
  context2d.fillStyle = colours.get(worker) ?? '#fff';
  context2d.globalAlpha = 0.35;
  context2d.fillRect(tile.x, tile.y, tile.width, tile.height);
  context2d.globalAlpha = 1;
}

async function render(view: View): Promise<void> {
  rendering = new AbortController();
  const { signal } = rendering;
  for (const button of renderButtons) button.disabled = true;
  cancelButton.disabled = false;
  sizeSelect.disabled = true;
  tilesBy = new Map();
  const all = tiles(view);
  show(renderStatus, `Rendering ${all.length} tiles on ${workers.size} workers, ${format(view.maxIterations)} iterations per point…`, 'busy');
  const started = performance.now();
  try {
    // Every tile is asked for at once; the pool hands them out as workers free up.
    await Promise.all(
      all.map(async (tile) => {
        const { worker, pixels } = await workers.remote.$call('tile', [view, tile], { signal, timeout: 0 });
        tilesBy.set(worker, (tilesBy.get(worker) ?? 0) + 1);
        paint(tile, worker, pixels);
      }),
    );
    show(renderStatus, `Rendered ${all.length} tiles on ${workers.size} workers in ${format(Math.round(performance.now() - started))} ms.`, 'ok');
  } catch (error) {
    if (error instanceof AbortError) show(renderStatus, `Cancelled — ${describe(error)}`, 'cancelled');
    else show(renderStatus, `Failed — ${describe(error)}`, 'error');
  } finally {
    rendering = undefined;
    for (const button of renderButtons) button.disabled = false;
    cancelButton.disabled = true;
    sizeSelect.disabled = false;
  }
}

// ── the workers list, live ──
const list = byId('workers');
function drawWorkers(): void {
  const { workers: stats, queued } = workers.stats;
  list.replaceChildren(
    ...stats.map(({ id, inFlight }) => {
      const item = document.createElement('li');
      item.dataset.id = id;
      const swatch = Object.assign(document.createElement('span'), { className: 'badge', textContent: ' ' });
      swatch.style.background = colours.get(id) ?? '#888';
      item.append(swatch, ` worker ${short(id)} — `, Object.assign(document.createElement('b'), { className: 'tiles', textContent: String(tilesBy.get(id) ?? 0) }), ' tiles');
      if (inFlight) item.append(Object.assign(document.createElement('span'), { className: 'badge', textContent: 'busy' }));
      return item;
    }),
  );
  if (queued) list.append(Object.assign(document.createElement('li'), { textContent: `${queued} tiles waiting in the pool` }));
  requestAnimationFrame(drawWorkers);
}

makePool(defaultSize);
requestAnimationFrame(drawWorkers);
sizeSelect.onchange = () => makePool(Number(sizeSelect.value));
renderButtons[0]!.onclick = () => render(quick);
renderButtons[1]!.onclick = () => render(heavy);
cancelButton.onclick = () => rendering?.abort();
