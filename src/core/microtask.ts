const resolved = Promise.resolve();

/**
 * Runs `fn` in a microtask. Not queueMicrotask: in Node each one makes an AsyncResource (about a
 * microsecond, paid once per batch on each side of every round trip).
 */
export const microtask = (fn: () => void): void => void resolved.then(fn);
