const hasOwn = Object.prototype.hasOwnProperty;
const isEnumerable = Object.prototype.propertyIsEnumerable;
const objectProto = Object.prototype;

/** Names that never resolve: everything Object.prototype has, plus `prototype`. */
const isForbidden = (key: string): boolean => key in objectProto || key === 'prototype' || key === '';

const classes = new WeakMap<object, boolean>();

/**
 * True for the prototype of a constructor written with `class` syntax: only there are inherited
 * methods callable. Built-in prototypes (Array, Map…) and old-style constructor functions
 * (EventEmitter and other library bases) are not, so `items.push`, `cache.clear` or
 * `removeAllListeners` on a handler cannot be reached. Checked once per prototype.
 */
function isClassPrototype(proto: object): boolean {
  let known = classes.get(proto);
  if (known === undefined) {
    const ctor = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value;
    known = typeof ctor === 'function' && /^class\b/.test(Function.prototype.toString.call(ctor));
    classes.set(proto, known);
  }
  return known;
}

/** A plain object or an instance of your own class: something whose members may be called. */
const isCallable = (target: object): boolean => {
  const proto = Object.getPrototypeOf(target);
  return proto === null || proto === objectProto || isClassPrototype(proto);
};

/**
 * One step of a method path: an own enumerable data property, or a method a `class` defines (found
 * on the prototype chain while it is made of classes). Accessors are never invoked.
 */
function step(target: object, key: string): unknown {
  if (hasOwn.call(target, key)) {
    return isEnumerable.call(target, key) ? Object.getOwnPropertyDescriptor(target, key)!.value : undefined;
  }
  for (let proto = Object.getPrototypeOf(target); proto && isClassPrototype(proto); proto = Object.getPrototypeOf(proto)) {
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
