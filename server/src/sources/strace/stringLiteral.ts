// strace prints a string argument as a C string literal: printable ASCII as itself, the rest as
// escapes (\n \t \r \v \f \" \\, octal \0 .. \377, or \xHH with -x/-xx). A literal followed by
// "..." was cut at strace's -s limit. Logs are read as latin1, so one character is one byte and
// any byte strace wrote unescaped survives exactly.

export interface StringLiteral {
  readonly bytes: Uint8Array;
  /** strace stopped at its -s limit: these are only the first bytes. */
  readonly truncated: boolean;
  /** Index just after the literal (and after its "..." when truncated). */
  readonly end: number;
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  n: 10,
  t: 9,
  r: 13,
  v: 11,
  f: 12,
  a: 7,
  b: 8,
  '"': 34,
  '\\': 92,
  "'": 39,
  '?': 63,
};

/** Decodes the literal whose opening quote is at `start`; undefined when it is not closed. */
export function readStringLiteral(text: string, start: number): StringLiteral | undefined {
  const out: number[] = [];
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      i++;
      const truncated = text.startsWith('...', i);
      return { bytes: Uint8Array.from(out), truncated, end: truncated ? i + 3 : i };
    }
    if (c !== 92 /* \ */) {
      out.push(c & 0xff);
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === undefined) return undefined;
    if (next === 'x') {
      const hex = /^[0-9a-fA-F]{1,2}/.exec(text.slice(i + 2, i + 4));
      if (hex === null) return undefined;
      out.push(parseInt(hex[0], 16));
      i += 2 + hex[0].length;
    } else if (next >= '0' && next <= '7') {
      const oct = /^[0-7]{1,3}/.exec(text.slice(i + 1, i + 4))![0];
      out.push(parseInt(oct, 8) & 0xff);
      i += 1 + oct.length;
    } else {
      out.push(SIMPLE_ESCAPES[next] ?? next.charCodeAt(0) & 0xff);
      i += 2;
    }
  }
  return undefined;
}
