// Where two versions of a text differ: everything between their common prefix and suffix.
// The editor asks after every edit, of a whole document (the trees' edits, the flavour guess):
// blocks are compared first (natively), then characters, so a long document costs little.

/** `before[start, beforeEnd)` became `after[start, afterEnd)`; the rest of both is the same. */
export interface TextChange {
  start: number;
  beforeEnd: number;
  afterEnd: number;
}

const BLOCK = 512;

/** The one change between two texts, undefined when they are the same. */
export function textChange(before: string, after: string): TextChange | undefined {
  if (before === after) return undefined;
  const max = Math.min(before.length, after.length);
  let start = 0;
  while (start + BLOCK <= max && before.slice(start, start + BLOCK) === after.slice(start, start + BLOCK)) start += BLOCK;
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let tail = 0;
  const room = max - start;
  while (tail + BLOCK <= room && before.slice(before.length - tail - BLOCK, before.length - tail) === after.slice(after.length - tail - BLOCK, after.length - tail)) tail += BLOCK;
  while (tail < room && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  return { start, beforeEnd: before.length - tail, afterEnd: after.length - tail };
}
