/**
 * Keeps objects for as long as the module lives. The engine frees an object shape once a full
 * garbage collection finds nothing with it, and throws away the optimized code built on it: after
 * a quiet spell (or a forced collection) a 100 000-item stream ran at half to two thirds of its
 * speed until it had been optimized again. One instance of each class a stream makes, with every
 * field it will have, keeps those shapes and so the code.
 */
const kept: object[] = [];

export const keep = (...instances: object[]): void => void kept.push(...instances);
