// Probe-field patterns as the DTrace kernel matches them (dtrace_probekey_func and
// dtrace_match_glob): an empty pattern matches anything, a pattern without `[ ? * \` is
// compared exactly, anything else is a shell-style glob.
//
// Glob rules, including DTrace's corner cases:
// - `*` matches any run of characters, `?` any one character, `\c` the character c;
// - `[set]` / `[!set]` match one character in / not in the set; a `]` right after `[` or `[!`
//   is a member; `a-z` is a range unless the `-` comes first or right before the closing `]`;
//   `\` escapes a member; a reversed range (`z-a`) contains nothing but its last character
//   still counts as a member on its own;
// - a set without its `]`, or a `\` at the very end, makes the pattern match nothing;
// - each `*` that has more pattern after it is a recursion level; going past
//   DTRACE_PROBEKEY_MAXDEPTH (8) makes the match fail with an error, but only when the
//   matching actually gets that far into the pattern.
// Characters are compared as UTF-16 code units (DTrace compares signed C chars, which differs
// only for ranges over non-ASCII bytes).

export const PROBEKEY_MAX_DEPTH = 8;

/** 1 match, 0 no match, -1 the recursion limit was hit. */
export type GlobResult = 1 | 0 | -1;

/** DTrace's strisglob: does the text contain a glob metacharacter? */
export function isGlob(pattern: string): boolean {
  return /[[?*\\]/.test(pattern);
}

type Atom =
  | { readonly kind: 'char'; readonly code: number }
  | { readonly kind: 'any' }
  | { readonly kind: 'set'; readonly negated: boolean; readonly ranges: Int32Array }
  | { readonly kind: 'star' }
  /** An unterminated set or dangling `\`: nothing can get past it. */
  | { readonly kind: 'dead' };

export interface FieldMatcher {
  readonly pattern: string;
  /**
   * 'any' for an empty pattern, 'exact' for one without metacharacters, 'glob' otherwise;
   * 'nonempty' is the probe key's stand-in for an all-empty description (see probe-key.ts).
   */
  readonly kind: 'any' | 'exact' | 'glob' | 'nonempty';
  /** Whether some subject could make this pattern hit the recursion limit. */
  readonly canHitDepthLimit: boolean;
  match(subject: string): GlobResult;
}

export function compileFieldMatcher(pattern: string): FieldMatcher {
  if (pattern === '') {
    return { pattern, kind: 'any', canHitDepthLimit: false, match: () => 1 };
  }
  if (!isGlob(pattern)) {
    return {
      pattern,
      kind: 'exact',
      canHitDepthLimit: false,
      match: (s) => (s === pattern ? 1 : 0),
    };
  }
  const atoms = parseGlob(pattern);
  const recursiveStars = atoms.filter((a, i) => a.kind === 'star' && i < atoms.length - 1).length;
  return {
    pattern,
    kind: 'glob',
    canHitDepthLimit: recursiveStars > PROBEKEY_MAX_DEPTH,
    match: fastPath(atoms) ?? regexPath(atoms, recursiveStars) ?? ((s) => matchAtoms(atoms, 0, s, 0, 0)),
  };
}

/** dtrace_match_glob on one subject (an empty pattern matches only an empty subject here). */
export function globMatch(subject: string, pattern: string): GlobResult {
  return matchAtoms(parseGlob(pattern), 0, subject, 0, 0);
}

function parseGlob(p: string): Atom[] {
  const atoms: Atom[] = [];
  let i = 0;
  while (i < p.length) {
    const c = p[i++];
    if (c === '*') {
      while (p[i] === '*') i++; // consecutive stars are one star
      atoms.push({ kind: 'star' });
    } else if (c === '?') {
      atoms.push({ kind: 'any' });
    } else if (c === '\\') {
      if (i >= p.length) return deadEnd(atoms);
      atoms.push({ kind: 'char', code: p.charCodeAt(i++) });
    } else if (c === '[') {
      const set = parseSet(p, i);
      if (set === undefined) return deadEnd(atoms);
      atoms.push(set.atom);
      i = set.next;
    } else {
      atoms.push({ kind: 'char', code: c.charCodeAt(0) });
    }
  }
  return atoms;
}

function deadEnd(atoms: Atom[]): Atom[] {
  atoms.push({ kind: 'dead' });
  return atoms;
}

/** Reads a set whose `[` is just before `i`; undefined when it is never closed. */
function parseSet(p: string, i: number): { atom: Atom; next: number } | undefined {
  let negated = false;
  if (p[i] === '!') {
    negated = true;
    i++;
  }
  const ranges: number[] = [];
  let previous = -1; // the last member character, which a following `-x` extends to a range
  if (i >= p.length) return undefined;
  let c = p.charCodeAt(i++);
  do {
    if (c === 0x2d /* - */ && previous >= 0 && i < p.length && p[i] !== ']') {
      c = p.charCodeAt(i++);
      if (c === 0x5c /* \ */) {
        if (i >= p.length) return undefined;
        c = p.charCodeAt(i++);
      }
      ranges.push(previous, c);
    } else if (c === 0x5c) {
      if (i >= p.length) return undefined;
      c = p.charCodeAt(i++);
    }
    previous = c;
    ranges.push(c, c);
    if (i >= p.length) return undefined;
    c = p.charCodeAt(i++);
  } while (c !== 0x5d /* ] */);
  return { atom: { kind: 'set', negated, ranges: Int32Array.from(ranges) }, next: i };
}

function inSet(ranges: Int32Array, code: number): boolean {
  for (let k = 0; k < ranges.length; k += 2) {
    if (ranges[k] <= code && code <= ranges[k + 1]) return true;
  }
  return false;
}

function matchAtoms(atoms: Atom[], a: number, s: string, i: number, depth: number): GlobResult {
  if (depth > PROBEKEY_MAX_DEPTH) return -1;
  for (;;) {
    if (a === atoms.length) return i === s.length ? 1 : 0;
    const atom = atoms[a];
    switch (atom.kind) {
      case 'char':
        if (i >= s.length || s.charCodeAt(i) !== atom.code) return 0;
        break;
      case 'any':
        if (i >= s.length) return 0;
        break;
      case 'set':
        if (i >= s.length || inSet(atom.ranges, s.charCodeAt(i)) === atom.negated) return 0;
        break;
      case 'dead':
        return 0;
      case 'star': {
        if (a === atoms.length - 1) return 1;
        // The rest of the pattern needs at least one character, so the end is never tried.
        for (let k = i; k < s.length; k++) {
          const r = matchAtoms(atoms, a + 1, s, k, depth + 1);
          if (r !== 0) return r;
        }
        return 0;
      }
    }
    a++;
    i++;
  }
}

/**
 * Within the recursion limit the outcome is plain match / no match, which a regular expression
 * over UTF-16 code units decides the same way (and much faster than recursion).
 */
function regexPath(atoms: Atom[], recursiveStars: number): ((s: string) => GlobResult) | undefined {
  if (recursiveStars > PROBEKEY_MAX_DEPTH) return undefined;
  const unit = (code: number) => `\\u${code.toString(16).padStart(4, '0')}`;
  let source = '^';
  for (const atom of atoms) {
    switch (atom.kind) {
      case 'char':
        source += unit(atom.code);
        break;
      case 'any':
        source += '[^]';
        break;
      case 'star':
        source += '[^]*';
        break;
      case 'dead':
        return () => 0;
      case 'set': {
        let members = '';
        for (let k = 0; k < atom.ranges.length; k += 2) {
          const lo = atom.ranges[k];
          const hi = atom.ranges[k + 1];
          if (lo <= hi) members += lo === hi ? unit(lo) : `${unit(lo)}-${unit(hi)}`;
        }
        source += atom.negated ? `[^${members}]` : `[${members}]`;
        break;
      }
    }
  }
  const re = new RegExp(source + '$');
  return (s) => (re.test(s) ? 1 : 0);
}

/** Common shapes (`abc*`, `*abc`, `*abc*`) without the general matcher. */
function fastPath(atoms: Atom[]): ((s: string) => GlobResult) | undefined {
  const literal = (list: Atom[]) =>
    list.every((x) => x.kind === 'char')
      ? String.fromCharCode(...list.map((x) => (x as { code: number }).code))
      : undefined;
  const n = atoms.length;
  const starAt = (k: number) => atoms[k]?.kind === 'star';
  if (n === 1 && starAt(0)) return () => 1;
  if (n >= 2 && starAt(n - 1) && atoms.slice(0, n - 1).every((x) => x.kind !== 'star')) {
    const prefix = literal(atoms.slice(0, n - 1));
    if (prefix !== undefined) return (s) => (s.startsWith(prefix) ? 1 : 0);
  }
  if (n >= 2 && starAt(0) && atoms.slice(1).every((x) => x.kind !== 'star')) {
    const suffix = literal(atoms.slice(1));
    if (suffix !== undefined) return (s) => (s.endsWith(suffix) ? 1 : 0);
  }
  if (n >= 3 && starAt(0) && starAt(n - 1)) {
    const middle = literal(atoms.slice(1, n - 1));
    if (middle !== undefined) return (s) => (s.includes(middle) ? 1 : 0);
  }
  return undefined;
}
