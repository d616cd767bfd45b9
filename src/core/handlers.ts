const hasOwn = Object.prototype.hasOwnProperty;
const isEnumerable = Object.prototype.propertyIsEnumerable;
const objectProto = Object.prototype;

/** Names that never resolve: everything Object.prototype has, plus `prototype`. */
const isForbidden = (key: string): boolean => key in objectProto || key === 'prototype' || key === '';

const native = /\[native code\]\s*\}\s*$/;
const builtins = new WeakMap<object, boolean>();

/**
 * True for a prototype the platform made (Array.prototype, Map.prototype…) or one without its own
 * constructor: methods found there are never callable, so `items.push` or `cache.clear` on a
 * handler's state cannot be reached. Checked once per prototype.
 */
function isBuiltin(proto: object): boolean {
  let known = builtins.get(proto);
  if (known === undefined) {
    const ctor = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value;
    known = typeof ctor !== 'function' || native.test(Function.prototype.toString.call(ctor));
    builtins.set(proto, known);
  }
  return known;
}

/** A plain object or an instance of your own class: something whose members may be called. */
const isCallable = (target: object): boolean => {
  const proto = Object.getPrototypeOf(target);
  return proto === null || proto === objectProto || !isBuiltin(proto);
};

/**
 * One step of a method path: an own enumerable data property, or a method your class defines
 * (found on the prototype chain, below any built-in prototype). Accessors are never invoked.
 */
function step(target: object, key: string): unknown {
  if (hasOwn.call(target, key)) {
    return isEnumerable.call(target, key) ? Object.getOwnPropertyDescriptor(target, key)!.value : undefined;
  }
  for (let proto = Object.getPrototypeOf(target); proto && proto !== objectProto && !isBuiltin(proto); proto = Object.getPrototypeOf(proto)) {
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
  if (!handlers || !isCallable(handlers)) return undefined;
  let self: object = handlers;
  let start = 0;
  for (;;) {
    const dot = method.indexOf('.', start);
    const key = dot === -1 ? method.slice(start) : method.slice(start, dot);
    if (isForbidden(key)) return undefined;
    const value = step(self, key);
    if (dot === -1) return typeof value === 'function' ? { fn: value as Resolved['fn'], self } : undefined;
    if (typeof value !== 'object' || value === null || !isCallable(value)) return undefined;
    self = value;
    start = dot + 1;
  }
}
