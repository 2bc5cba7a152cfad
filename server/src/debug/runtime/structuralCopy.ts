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
    const c = copyView(v, memo);
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

/**
 * A typed array or DataView copied. One spanning its whole ArrayBuffer (a buffer's bytes and the
 * DataView over them) gets a view of the one copy of that ArrayBuffer, so that views sharing
 * storage still share it; a view of part of one copies only its own bytes.
 */
function copyView(v: ArrayBufferView, memo: Map<object, unknown>): ArrayBufferView {
  const whole = v.byteOffset === 0 && v.byteLength === v.buffer.byteLength;
  if (!whole) return (v as unknown as Uint8Array).slice();
  let buffer = memo.get(v.buffer) as ArrayBuffer | undefined;
  if (buffer === undefined) memo.set(v.buffer, (buffer = (v.buffer as ArrayBuffer).slice(0)));
  if (v instanceof DataView) return new DataView(buffer);
  const Kind = v.constructor as new (b: ArrayBuffer) => ArrayBufferView;
  return new Kind(buffer);
}
