// JSON.parse with a memory of where each value starts, so that a workload file's mistakes are
// reported at `file:line:column` like a compiler's, not as a path the user has to count out.
// Strict JSON (RFC 8259): no comments, no trailing commas. Arrays and objects nest at most
// MAX_JSON_DEPTH deep (the parser recurses), and a number must be a finite double.

/** How deep arrays and objects may nest: far beyond any workload, far below the stack's limit. */
export const MAX_JSON_DEPTH = 256;

/** 1-based line and column of a value's first character. */
export interface Location {
  readonly line: number;
  readonly column: number;
}

export interface LocatedJson {
  readonly value: unknown;
  /** Where each object and array value (and every member value) starts, by identity for containers. */
  readonly where: (value: object) => Location | undefined;
  /** Where the value of `key` in `container` starts (or the container when the key is absent). */
  readonly at: (container: object, key?: string | number) => Location;
}

export class JsonSyntaxError extends Error {
  constructor(
    readonly location: Location,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export function parseLocatedJson(text: string): LocatedJson {
  const containers = new WeakMap<object, Location>();
  const members = new WeakMap<object, Map<string | number, Location>>();
  let i = 0;
  // Line starts, for turning offsets into line:column only when asked.
  const lineStarts = [0];
  for (let k = 0; k < text.length; k++) if (text.charCodeAt(k) === 10) lineStarts.push(k + 1);
  const locate = (offset: number): Location => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo]! + 1 };
  };
  const fail = (reason: string, at = i): never => {
    throw new JsonSyntaxError(locate(at), reason);
  };
  const space = (): void => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const describe = (): string => (i >= text.length ? 'end of file' : `'${text[i]}'`);
  const NUMBER_OR_WORD = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
  let depth = 0;

  const parseString = (): string => {
    const start = i;
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail('unterminated string', start);
      const c = text.charCodeAt(i);
      if (c === 34) break;
      if (c === 92) i += 2;
      else if (c < 32) fail('control character in string');
      else i++;
    }
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return fail('invalid escape in string', start);
    }
  };

  const parseValue = (): unknown => {
    space();
    const start = i;
    const c = text[i];
    if ((c === '{' || c === '[') && ++depth > MAX_JSON_DEPTH) fail(`arrays and objects nested more than ${MAX_JSON_DEPTH} deep`);
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      const where = new Map<string, Location>();
      containers.set(obj, locate(start));
      members.set(obj, where);
      space();
      if (text[i] === '}') {
        i++;
        depth--;
        return obj;
      }
      for (;;) {
        space();
        if (text[i] !== '"') fail(`expected a member name in double quotes, found ${describe()}`);
        const keyAt = i;
        const key = parseString();
        if (Object.prototype.hasOwnProperty.call(obj, key)) fail(`duplicate member "${key}"`, keyAt);
        space();
        if (text[i] !== ':') fail(`expected ':' after "${key}", found ${describe()}`);
        i++;
        space();
        where.set(key, locate(i));
        obj[key] = parseValue();
        space();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          depth--;
          return obj;
        }
        fail(`expected ',' or '}', found ${describe()}`);
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      const where = new Map<number, Location>();
      containers.set(arr, locate(start));
      members.set(arr, where);
      space();
      if (text[i] === ']') {
        i++;
        depth--;
        return arr;
      }
      for (;;) {
        space();
        where.set(arr.length, locate(i));
        arr.push(parseValue());
        space();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          depth--;
          return arr;
        }
        fail(`expected ',' or ']', found ${describe()}`);
      }
    }
    if (c === '"') return parseString();
    NUMBER_OR_WORD.lastIndex = i;
    const m = NUMBER_OR_WORD.exec(text);
    if (m === null) return fail(`expected a JSON value, found ${describe()}`);
    i += m[0].length;
    const v = JSON.parse(m[0]) as unknown;
    if (typeof v === 'number' && !Number.isFinite(v)) fail(`the number ${m[0]} is beyond the range of a double (about ±1.8e308)`, start);
    return v;
  };

  const value = parseValue();
  space();
  if (i < text.length) fail(`unexpected ${describe()} after the JSON value`);
  return {
    value,
    where: (v) => containers.get(v),
    at: (container, key) => (key === undefined ? undefined : members.get(container)?.get(key)) ?? containers.get(container) ?? { line: 1, column: 1 },
  };
}
