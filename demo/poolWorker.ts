import { context, expose, transfer } from '../src/index';
import { renderRows, type View } from './mandelbrot';

/** One tile of the picture: where it sits in the whole view, in pixels. */
export interface Tile {
  x: number;
  y: number;
  width: number;
  height: number;
}

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
// The pool names each worker after its id (the page's factory passes it as the Worker's name).
const name = (self as unknown as { name: string }).name;

const api = {
  /** Renders one tile of `view`; the pixels come back moved, with the name of the worker that drew them. */
  async tile(view: View, tile: Tile): Promise<{ worker: string; pixels: ArrayBuffer }> {
    const { signal } = context();
    // The tile as a view of its own: the same scale, centred on the tile's middle.
    const step = view.span / view.width;
    const sub: View = {
      ...view,
      width: tile.width,
      height: tile.height,
      span: step * tile.width,
      centerX: view.centerX - view.span / 2 + (tile.x + tile.width / 2) * step,
      centerY: view.centerY - (step * view.height) / 2 + (tile.y + tile.height / 2) * step,
    };
    const pixels = new Uint8ClampedArray(tile.width * tile.height * 4);
    // In slices, so a Cancel reaches a long tile between them (the pool has freed its slot already).
    for (let row = 0; row < tile.height; ) {
      const sliceEnd = performance.now() + 12;
      for (; row < tile.height && performance.now() < sliceEnd; row++) renderRows(pixels, sub, row, row + 1);
      if (row < tile.height) {
        await nextTask();
        signal.throwIfAborted();
      }
    }
    return transfer({ worker: name, pixels: pixels.buffer }, [pixels.buffer]);
  },
};

export type PoolDemoApi = typeof api;

expose(api);
