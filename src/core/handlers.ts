const hasOwn = Object.prototype.hasOwnProperty;
const isEnumerable = Object.prototype.propertyIsEnumerable;
const objectProto = Object.prototype;

/** Names that never resolve: everything Object.prototype has, plus `prototype`. */
const isForbidden = (key: string): boolean => key in objectProto || key === 'prototype' || key === '';

/**
 * One step of a method path: an own enumerable property, or a method a class defines (found on the
 * prototype chain below Object.prototype). Accessors on prototypes are never invoked.
 */
function step(target: object, key: string): unknown {
  if (hasOwn.call(target, key)) return isEnumerable.call(target, key) ? (target as Record<string, unknown>)[key] : undefined;
  for (let proto = Object.getPrototypeOf(target); proto && proto !== objectProto; proto = Object.getPrototypeOf(proto)) {
    if (hasOwn.call(proto, key)) {
      const value = Object.getOwnPropertyDescriptor(proto, key)?.value;
      return typeof value === 'function' ? value : undefined;
    }
  }
  return undefined;
}

export interface Resolved {
  fn: (...args: unknown[]) => unknown;
  self: object;
}

/**
 * Finds the function a (possibly dotted) method name names in `handlers`, or undefined. Intermediate
 * names must be plain objects (namespaces); the function is called with its holder as `this`.
 */
export function resolveMethod(handlers: object | undefined, method: string): Resolved | undefined {
  if (!handlers) return undefined;
  let self: object = handlers;
  let start = 0;
  for (;;) {
    const dot = method.indexOf('.', start);
    const key = dot === -1 ? method.slice(start) : method.slice(start, dot);
    if (isForbidden(key)) return undefined;
    const value = step(self, key);
    if (dot === -1) return typeof value === 'function' ? { fn: value as Resolved['fn'], self } : undefined;
    if (typeof value !== 'object' || value === null) return undefined;
    self = value;
    start = dot + 1;
  }
}
