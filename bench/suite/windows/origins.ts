import type { Port } from '../types';

// The window rows. The iframe row serves one server under two origins: the page on http://127.0.0.1:<port>, each
// contender's iframe on http://localhost:<port> (another site, so another process under site isolation).
export const frameOrigin = (pageOrigin: string) => pageOrigin.replace('//127.0.0.1:', '//localhost:');
export const pageOrigin = (frameOrigin: string) => frameOrigin.replace('//localhost:', '//127.0.0.1:');

/** A MessagePort as the bare contenders' Port (the `port` contender: both ends of one channel). */
export const portOver = (own: MessagePort): Port => ({
  post: (data, transfer) => own.postMessage(data, transfer ?? []),
  listen: (handler) => void (own.onmessage = (event) => handler(event.data)),
});

interface MemoryBreakdown {
  bytes: number;
  attribution: Array<{ scope?: string }>;
  types: string[];
}

/** This document's own JS heap (its Window's entries; the caller runs the GCs first). */
export async function windowHeap(): Promise<number> {
  const measure = (performance as unknown as { measureUserAgentSpecificMemory(): Promise<{ breakdown: MemoryBreakdown[] }> })
    .measureUserAgentSpecificMemory;
  const { breakdown } = await measure.call(performance);
  let bytes = 0;
  for (const entry of breakdown) if (entry.types.includes('JavaScript') && entry.attribution.some((a) => a.scope === 'Window')) bytes += entry.bytes;
  return bytes;
}
