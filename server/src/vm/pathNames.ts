// basename(), dirname() and cleanpath() on path bytes, with the kernel's rules.

const enc = new TextEncoder();

/** basename()/dirname() with the kernel's rules ("" → ".", all slashes → "/"). */
export function pathPart(src: Uint8Array, dirname: boolean): Uint8Array {
  const SLASH = 0x2f;
  let s = src;
  if (s.length === 0) s = enc.encode('.');
  let i = s.length - 1;
  while (i >= 0 && s[i] === SLASH) i--;
  let lastBase = i >= 0 ? i : -1;
  while (i >= 0 && s[i] !== SLASH) i--;
  let firstBase = i >= 0 ? i + 1 : -1;
  while (i >= 0 && s[i] === SLASH) i--;
  let lastDir = i >= 0 ? i : -1;
  if (lastBase === -1) firstBase = lastBase = lastDir = 0;
  if (firstBase === -1) {
    if (dirname) {
      s = enc.encode('.');
      lastDir = 0;
    } else {
      firstBase = 0;
    }
  }
  if (dirname) {
    if (lastDir === -1) lastDir = 0;
    return s.slice(0, lastDir + 1);
  }
  return s.slice(firstBase, lastBase + 1);
}

/** cleanpath(): folds "//", "/./" and "/../" as the kernel does, within strsize. */
export function cleanPath(src: Uint8Array, size: number): Uint8Array {
  const dest: number[] = [];
  let i = 0;
  const next = (): number => (i < src.length ? src[i++]! : (i++, 0));
  let ch = 0;
  outer: do {
    ch = next();
    for (;;) {
      if (dest.length + 5 >= size) break outer;
      if (ch !== 0x2f) {
        dest.push(ch);
        break;
      }
      ch = next();
      if (ch === 0x2f) continue;
      if (ch !== 0x2e) {
        dest.push(0x2f, ch);
        break;
      }
      ch = next();
      if (ch === 0x2f) continue;
      if (ch !== 0x2e) {
        dest.push(0x2f, 0x2e, ch);
        break;
      }
      ch = next();
      if (ch !== 0x2f && ch !== 0) {
        dest.push(0x2f, 0x2e, 0x2e, ch);
        break;
      }
      // "/../" or "/..\0": back up to the previous slash.
      i--;
      while (dest.length > 0 && dest.pop() !== 0x2f) {
        /* keep popping */
      }
      if (ch === 0) dest.push(0x2f);
      break;
    }
  } while (ch !== 0);
  const end = dest.indexOf(0);
  return Uint8Array.from(end >= 0 ? dest.slice(0, end) : dest);
}
