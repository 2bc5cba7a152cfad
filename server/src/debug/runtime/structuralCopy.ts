// Structural copies of the VM's and the consumer's state (the debugger's checkpoints, and a
// run's own option set): every object with its prototype, Maps, Sets, typed arrays and cycles;
// functions and the objects `shared` names are kept, not copied.

/** A structural copy (prototypes, Maps, Sets, typed arrays, cycles); functions and `shared` objects are not copied. */
export function deepCopy(v: unknown, memo: Map<object, unknown>, shared: (o: object) => boolean): unknown {
  if (typeof v !== 'object' || v === null) return v;
  const known = memo.get(v);
  if (known !== undefined) return known;
  if (shared(v)) return v;
  if (ArrayBuffer.isView(v)) {
    const c = (v as unknown as Uint8Array).slice();
    memo.set(v, c);
    return c;
  }
  if (Array.isArray(v)) {
    const c: unknown[] = new Array(v.length);
    memo.set(v, c);
    for (let i = 0; i < v.length; i++) c[i] = deepCopy(v[i], memo, shared);
    return c;
  }
  if (v instanceof Map) {
    const c = new Map();
    memo.set(v, c);
    for (const [k, x] of v) c.set(deepCopy(k, memo, shared), deepCopy(x, memo, shared));
    return c;
  }
  if (v instanceof Set) {
    const c = new Set();
    memo.set(v, c);
    for (const x of v) c.add(deepCopy(x, memo, shared));
    return c;
  }
  if (v instanceof AbortSignal || v instanceof AbortController || v instanceof Promise) return v;
  const c = Object.create(Object.getPrototypeOf(v) as object) as Record<string, unknown>;
  memo.set(v, c);
  for (const k of Object.keys(v)) c[k] = deepCopy((v as Record<string, unknown>)[k], memo, shared);
  return c;
}

/** A copy sharing nothing (an option set, a plain state object). */
export function structuralCopy<T>(v: T): T {
  return deepCopy(v, new Map(), () => false) as T;
}
