import { PortwireError } from '../errors/PortwireError.js';

const describe = (value: unknown): string =>
  (typeof value === 'object' || typeof value === 'function') && value !== null ? (value.constructor?.name ?? 'an object') : typeof value;

/**
 * Throws unless every item of `transfer` is a port, as Electron's main-process postMessage APIs
 * demand: they move MessagePorts and nothing else (an ArrayBuffer there is an error, or its data
 * is lost on the way). The caller hears it at once; a copy (no transfer) still works.
 */
export function onlyPorts(transfer: readonly unknown[], isPort: (value: unknown) => boolean, where: string): void {
  const index = transfer.findIndex((value) => !isPort(value));
  if (index === -1) return;
  const other = transfer[index];
  throw new PortwireError(
    'NO_TRANSFER',
    `portwire: ${where} can transfer only MessagePorts (Electron's main process moves nothing else), asked to move ${describe(other)}; send it without transfer() to copy it`,
  );
}

/** Throws for any transfer at all: `process.parentPort.postMessage` takes no transfer list. */
export function noTransfer(transfer: readonly unknown[], where: string): void {
  if (transfer.length === 0) return;
  throw new PortwireError(
    'NO_TRANSFER',
    `portwire: ${where} cannot transfer (process.parentPort.postMessage takes no transfer list; asked to move ${transfer.length}); send a copy, or hand the child a MessageChannelMain port and use that`,
  );
}

/** A MessagePortMain as main sees one: Electron's port objects, structurally (not Node's worker_threads ports). */
export const isPortMain = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { start?: unknown }).start === 'function' &&
  typeof (value as { postMessage?: unknown }).postMessage === 'function' &&
  typeof (value as { on?: unknown }).on === 'function' &&
  // worker_threads ports have these; Electron's MessagePortMain does not, and cannot carry them.
  typeof (value as { hasRef?: unknown }).hasRef !== 'function';
