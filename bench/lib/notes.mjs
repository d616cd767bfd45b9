// What each contender does in the scenarios where they differ, printed next to the figures.

export const PORTWIRE_WINDOW = 256; // PeerOptions.window @default (src/core/options.ts); the bench does not tune it

export const STREAM_NOTES = {
  bare: 'plain loop, one postMessage per item, no flow control',
  limit: 'plain loop, batched per microtask, 256-item window',
  comlink: 'one proxied callback, called per item (not awaited)',
  birpc: 'event per item',
  portwire: `async generator, default window ${PORTWIRE_WINDOW}`,
};

export const CONTENDER_NOTES = {
  bare: 'postMessage + id Map',
  limit: 'bare + per-microtask batching',
  comlink: 'defaults',
  birpc: 'defaults',
  portwire: 'defaults',
};
