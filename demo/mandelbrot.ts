/** Which part of the complex plane to draw, and how hard to look. */
export interface View {
  width: number;
  height: number;
  /** The complex number at the centre of the image. */
  centerX: number;
  centerY: number;
  /** Width of the image in the complex plane. */
  span: number;
  /** Iterations before a point counts as inside the set: more is slower and sharper. */
  maxIterations: number;
}

/** Renders rows [fromRow, toRow) of `view` into `pixels` (RGBA, row-major). */
export function renderRows(pixels: Uint8ClampedArray, view: View, fromRow: number, toRow: number): void {
  const { width, height, centerX, centerY, span, maxIterations } = view;
  const step = span / width;
  const left = centerX - span / 2;
  const top = centerY - (step * height) / 2;
  for (let row = fromRow; row < toRow; row++) {
    const ci = top + row * step;
    for (let col = 0; col < width; col++) {
      const cr = left + col * step;
      let zr = 0;
      let zi = 0;
      let n = 0;
      while (n < maxIterations && zr * zr + zi * zi <= 4) {
        const t = zr * zr - zi * zi + cr;
        zi = 2 * zr * zi + ci;
        zr = t;
        n++;
      }
      paint(pixels, (row * width + col) * 4, n === maxIterations ? -1 : n + 1 - Math.log2(Math.log2(zr * zr + zi * zi)));
    }
  }
}

// Points inside the set are dark; outside, a smooth escape count picks a colour along a cyclic
// gradient, faded towards the background far from the set so its edge glows.
function paint(pixels: Uint8ClampedArray, at: number, escape: number): void {
  if (escape < 0) {
    pixels[at] = 14;
    pixels[at + 1] = 17;
    pixels[at + 2] = 38;
  } else {
    const t = Math.sqrt(escape) * 0.6;
    const glow = 1 - Math.exp(-escape / 12);
    pixels[at] = 14 + glow * (114 + 110 * Math.cos(t + 4.2));
    pixels[at + 1] = 17 + glow * (111 + 110 * Math.cos(t + 2.4));
    pixels[at + 2] = 38 + glow * (100 + 110 * Math.cos(t + 0.6));
  }
  pixels[at + 3] = 255;
}
