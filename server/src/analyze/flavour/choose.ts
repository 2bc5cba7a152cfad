// Which system a script is written for: the user's setting; else a `#pragma D depends_on
// provider|module` that only one flavour satisfies; else a guess from what the script uses
// (its probes, kernel members and symbols); else the default.
import { globMatch, isGlob } from '../catalogue/glob';
import type { ProbeDescription } from '../catalogue/types';
import { allKnowledge, knowledgeOf, type FlavourKnowledge } from './knowledge';
import { detached } from '../../parse/buildAst';
import { textChange } from '../../parse/textChange';
import { DEFAULT_FLAVOUR, FLAVOURS, FLAVOUR_TRAITS, type Flavour, type FlavourChoice } from './flavours';

export interface FlavourQuestion {
  /** The setting or command-line flag; 'auto' or undefined decides from the script. */
  requested?: 'auto' | Flavour;
  /** The script's text (pragmas and kernel names are read from it). */
  text: string;
  /** The script's probe descriptions, macros expanded. */
  descriptions: readonly ProbeDescription[];
}

/** `knowledge` is every flavour's data unless given (tests give their own). */
export function chooseFlavour(q: FlavourQuestion, knowledge: readonly FlavourKnowledge[] = allKnowledge()): FlavourChoice {
  if (q.requested !== undefined && q.requested !== 'auto') return { name: q.requested, reason: 'setting' };
  const pragma = pragmaCandidates(q.text, knowledge);
  if (pragma && pragma.flavours.length === 1) return { name: pragma.flavours[0]!, reason: 'pragma', evidence: pragma.evidence };
  const candidates = pragma?.flavours ?? [...FLAVOURS];
  const guess = guessFlavour(q, knowledge.filter((k) => candidates.includes(k.flavour)));
  if (guess) return guess;
  return { name: candidates.includes(DEFAULT_FLAVOUR) ? DEFAULT_FLAVOUR : candidates[0]!, reason: 'default' };
}

/** The flavours every `depends_on provider|module` line of the script is satisfied by. */
function pragmaCandidates(text: string, knowledge: readonly FlavourKnowledge[]): { flavours: Flavour[]; evidence: string } | undefined {
  let flavours: Flavour[] | undefined;
  let evidence = '';
  for (const m of text.matchAll(/^[ \t]*#[ \t]*pragma[ \t]+D[ \t]+depends_on[ \t]+(provider|module)[ \t]+([^\s]+)/gm)) {
    const [, kind, name] = m as unknown as [string, 'provider' | 'module', string];
    const having = knowledge
      .filter((k) => (kind === 'provider' ? k.providers.has(name) || FLAVOUR_TRAITS[k.flavour].openProviders.includes(name) : k.modules.has(name)))
      .map((k) => k.flavour);
    // A dependency no flavour (or every flavour) satisfies says nothing about the system.
    if (having.length === 0 || having.length === knowledge.length) continue;
    const narrowed = (flavours ?? having).filter((f) => having.includes(f));
    if (narrowed.length === 0) continue;
    if (flavours === undefined || narrowed.length < flavours.length) evidence = `#pragma D depends_on ${kind} ${name}`;
    flavours = narrowed;
  }
  return flavours ? { flavours, evidence } : undefined;
}

interface Hint {
  readonly flavour: Flavour;
  readonly pattern: RegExp;
  readonly weight: number;
}

/**
 * Names only one system's kernel or tools use. Member names are matched after `->` or `.`,
 * so a variable of the same name does not count.
 */
const HINTS: readonly Hint[] = [
  ...members('freebsd', ['td_proc', 'td_tid', 'td_name', 'td_ucred', 'td_flags', 'td_oncpu', 'p_ucred', 'cr_uid', 'v_mount', 'bio_cmd', 'bio_bcount', 'm_pkthdr', 'if_xname', 'inp_inc']),
  ...words('freebsd', ['mac_framework', 'jailname', 'execargs', 'printm', 'memref', 'kinst', 'dtmalloc', 'vm_fault', 'g_bio', 'vop_lookup', 'callout_execute'], 2),
  ...members('illumos', ['t_procp', 't_tid', 't_cpu', 't_lwp', 'p_user', 'u_psargs', 'u_comm', 'p_pidp', 'pid_id', 'b_edev', 'b_bcount', 'v_path', 'cpu_id', 'cpu_disp']),
  ...words('illumos', ['ddi_pathname', 'genunix', 'kthread_t', 'mblk_t', 'cpu_t', 'zone_t'], 2),
  { flavour: 'illumos', pattern: /\bfop_[a-z]+/, weight: 2 },
  { flavour: 'illumos', pattern: /\bzfs_[a-z]+/, weight: 1 },
  { flavour: 'illumos', pattern: /\bmib:/, weight: 3 },
  ...words('macos', ['mach_trap', 'machtimestamp', 'mach_kernel', 'cpucycles', 'vcycles', 'dispatchaddr', 'uthread'], 2),
  { flavour: 'macos', pattern: /\bobjc(\$target|\d+|\*)?:/, weight: 3 },
  { flavour: 'macos', pattern: /\bplockstat(\$target|\d+|\*)?:/, weight: 1 },
  { flavour: 'macos', pattern: /_nocancel\b/, weight: 3 },
  { flavour: 'macos', pattern: /\.dylib\b|\bCoreFoundation\b|\bAppKit\b|\blibdispatch\b|\blibsystem_/, weight: 3 },
  ...members('linux', ['real_parent', 'tgid', 'comm']),
  ...words('linux', ['task_struct', 'vmlinux'], 2),
];

function members(flavour: Flavour, names: string[]): Hint[] {
  return names.map((n) => ({ flavour, pattern: new RegExp(`(->|\\.)\\s*${n}\\b`), weight: 2 }));
}

function words(flavour: Flavour, names: string[], weight: number): Hint[] {
  return names.map((n) => ({ flavour, pattern: new RegExp(`\\b${n}\\b`), weight }));
}

/** Scores each flavour by what the script uses; the clear winner, if any. */
function guessFlavour(q: FlavourQuestion, knowledge: readonly FlavourKnowledge[]): FlavourChoice | undefined {
  if (knowledge.length === 0) return undefined;
  const score = new Map<Flavour, number>(knowledge.map((k) => [k.flavour, 0]));
  const evidence = new Map<Flavour, { weight: number; text: string }>();
  const credit = (flavours: readonly Flavour[], weight: number, text: string) => {
    // A fact every candidate shares tells them apart no better than nothing.
    if (flavours.length === 0 || flavours.length === knowledge.length) return;
    for (const f of flavours) {
      score.set(f, score.get(f)! + weight);
      const e = evidence.get(f);
      if (!e || e.weight < weight) evidence.set(f, { weight, text });
    }
  };
  /** A flavour where the script cannot compile as written. */
  const debit = (flavours: readonly Flavour[], weight: number) => {
    if (flavours.length === knowledge.length) return;
    for (const f of flavours) score.set(f, score.get(f)! - weight);
  };
  const memo = memoFor(knowledge);
  for (const d of q.descriptions) {
    const key = `${d.provider}:${d.module}:${d.function}:${d.name}`;
    let steps = memo.descriptions.get(key);
    if (steps === undefined) memo.descriptions.set(key, (steps = descriptionSteps(d, key, knowledge)));
    for (const s of steps) {
      if (s.debit) debit(s.flavours, s.weight);
      else credit(s.flavours, s.weight, s.text);
    }
  }
  const { first, used } = findingsOf(q.text, memo);
  for (let h = 0; h < HINTS.length; h++) {
    const hint = HINTS[h]!;
    const m = first[h];
    if (m !== undefined && score.has(hint.flavour)) credit([hint.flavour], hint.weight, m);
  }
  // Members and constants the script uses that only some flavours' D libraries define.
  for (const word of used) credit(knowledge.filter((k) => k.libraryWords.has(word)).map((k) => k.flavour), 1, word);
  const ranked = [...score.entries()].sort((a, b) => b[1] - a[1] || FLAVOURS.indexOf(a[0]) - FLAVOURS.indexOf(b[0]));
  const best = ranked.filter(([, s]) => s === ranked[0]![1]).map(([f]) => f);
  // Nothing tells the flavours apart, or the default is among the best: the default.
  if (best.length === knowledge.length || (best.length > 1 && best.includes(DEFAULT_FLAVOUR))) return undefined;
  const name = best[0]!;
  return { name, reason: 'guess', evidence: evidence.get(name)?.text ?? 'the probes other systems lack' };
}

/** What one description tells about the flavours: credits and debits, in order. */
interface Step {
  debit: boolean;
  flavours: Flavour[];
  weight: number;
  text: string;
}

function descriptionSteps(d: ProbeDescription, text: string, knowledge: readonly FlavourKnowledge[]): Step[] {
  const steps: Step[] = [];
  if (d.provider === '' || isGlob(d.provider)) return steps;
  const credit = (flavours: Flavour[], weight: number) => steps.push({ debit: false, flavours, weight, text });
  const having = knowledge.filter((k) => k.providers.has(d.provider));
  credit(having.map((k) => k.flavour), 3);
  if (d.provider === 'fbt' && d.function !== '' && !isGlob(d.function))
    credit(knowledge.filter((k) => k.kernelFunctions.has(d.function)).map((k) => k.flavour), 2);
  // Among the flavours with the provider, those that have such a probe.
  const matching = having.filter((k) => has(k.functions.get(d.provider), d.function) && has(k.names.get(d.provider), d.name));
  if (having.length > 1 && (d.function !== '' || d.name !== '') && matching.length < having.length) credit(matching.map((k) => k.flavour), 2);
  // Where the probe cannot exist (the provider is closed there, or absent and not open).
  if (matching.length > 0) {
    const open = (k: FlavourKnowledge) => FLAVOUR_TRAITS[k.flavour].openProviders.includes(d.provider);
    steps.push({ debit: true, flavours: knowledge.filter((k) => !matching.includes(k) && !open(k)).map((k) => k.flavour), weight: 2, text });
  }
  return steps;
}

/**
 * A piece of the script between two `}` that end a line followed by a blank line outside a
 * comment (clauses and declarations, as scripts are laid out): no hint or word pattern can
 * match across such a boundary (each starts with `->`, `.` or a word, and crosses only blanks),
 * and neither a comment nor a string literal crosses it, so each piece is searched on its own,
 * once, and its findings reused while its text stays the same (the editor asks after every
 * edit).
 */
interface Chunk {
  /** The hints found (their HINTS index) with their first match, as credited: most pieces have none. */
  hints: [hint: number, match: string][];
  /** Member names and constants, in order of first use. */
  words: string[];
}

/** What the pieces of a script hold together: each hint's first match (HINTS order) and the words used. */
export interface Findings {
  first: (string | undefined)[];
  used: Set<string>;
}

interface Memo {
  descriptions: Map<string, Step[]>;
  /**
   * The last call's text, where each of its pieces ends, and the pieces' findings; `open`: the
   * first piece ended by a `/*` never closed (which a `*\/` typed after it would extend).
   */
  lastScan: { text: string; ends: number[]; chunks: Chunk[]; open: number } | undefined;
  /** The findings of those pieces together: an edit inside one piece changes only that piece. */
  lastFindings: { chunks: Chunk[]; findings: Findings } | undefined;
}

/** What a script uses (`knowledge` names the memo of the pieces searched before, as chooseFlavour's does). */
export function scriptFindings(text: string, knowledge: readonly FlavourKnowledge[] = allKnowledge()): Findings {
  return findingsOf(text, memoFor(knowledge));
}

function findingsOf(text: string, memo: Memo): Findings {
  return findings(chunksOf(text, memo), memo);
}

function findings(chunks: Chunk[], memo: Memo): Findings {
  const last = memo.lastFindings;
  if (last !== undefined && last.chunks.length === chunks.length && last.chunks.every((c, i) => c === chunks[i])) return last.findings;
  const first: (string | undefined)[] = new Array(HINTS.length);
  const used = new Set<string>();
  for (const chunk of chunks) {
    for (const [h, m] of chunk.hints) first[h] ??= m;
    for (const w of chunk.words) used.add(w);
  }
  memo.lastFindings = { chunks, findings: { first, used } };
  return { first, used };
}

/** Memos by the list of flavours considered (the knowledge objects are made once per flavour). */
const memos = new Map<string, Memo>();
const memoOwners = new WeakMap<readonly FlavourKnowledge[], Memo>();

function memoFor(knowledge: readonly FlavourKnowledge[]): Memo {
  const own = memoOwners.get(knowledge);
  if (own) return own;
  // Only the flavours' own knowledge (allKnowledge) is shared between calls; tests give theirs.
  const shared = knowledge.every((k) => k === knowledgeOf(k.flavour));
  const key = knowledge.map((k) => k.flavour).join();
  let memo = shared ? memos.get(key) : undefined;
  if (!memo) {
    memo = { descriptions: new Map(), lastScan: undefined, lastFindings: undefined };
    if (shared) memos.set(key, memo);
    else memoOwners.set(knowledge, memo);
  }
  return memo;
}

const BOUNDARY = '}\n\n';

/**
 * The pieces of the code. A piece is the text from where the one before ended to its own
 * boundary, so those of the last call that end before the edit are the same pieces; past it,
 * once a piece ends where one of the last call's did (moved by the edit), the rest are too.
 * Only the pieces in between are searched.
 */
function chunksOf(text: string, memo: Memo): Chunk[] {
  const last = memo.lastScan;
  const change = last === undefined ? undefined : textChange(last.text, text);
  const out: Chunk[] = [];
  const ends: number[] = [];
  let start = 0;
  if (last !== undefined) {
    const prefix = change?.start ?? text.length;
    // A last piece that ended with the text (not at a boundary) may grow.
    for (let k = 0; k < last.open && last.ends[k]! <= prefix && last.text.startsWith(BOUNDARY, last.ends[k]! - BOUNDARY.length); k++) {
      out.push(last.chunks[k]!);
      ends.push((start = last.ends[k]!));
    }
  }
  // Old texts by piece, made only when many pieces are searched (a text replaced whole).
  let byText: Map<string, Chunk> | undefined;
  let searched = 0;
  let open = Infinity;
  while (start < text.length) {
    const piece = pieceEnd(text, start);
    const end = piece.end;
    if (piece.open) open = Math.min(open, out.length);
    if (last !== undefined && change !== undefined && end >= change.afterEnd && end < text.length) {
      const delta = text.length - last.text.length;
      const k = indexOf(last.ends, end - delta);
      if (k >= 0) {
        const was = last.chunks[out.length];
        out.push(pieceOf(text.slice(start, end), was, last, byText));
        ends.push(end);
        if (last.open > k) open = Math.min(open, out.length + last.open - (k + 1));
        for (let j = k + 1; j < last.ends.length; j++) {
          out.push(last.chunks[j]!);
          ends.push(last.ends[j]! + delta);
        }
        break;
      }
    }
    if (last !== undefined && ++searched === 16) byText = piecesByText(last);
    out.push(pieceOf(text.slice(start, end), last?.chunks[out.length], last, byText));
    ends.push(end);
    start = end;
  }
  memo.lastScan = { text, ends, chunks: out, open };
  if (memo.descriptions.size > 10_000) memo.descriptions.clear();
  return out;
}

/**
 * Where the piece that starts at `start` ends: after the first boundary outside a comment (as
 * the comment pattern below finds them: from a `/*` to the first `*\/` after it; a `/*` never
 * closed is no comment), or at the end of the text.
 */
function pieceEnd(text: string, start: number): { end: number; open: boolean } {
  // Comments are looked for from `scan` on: none that starts before it is open.
  let scan = start;
  let from = start;
  for (;;) {
    const boundary = text.indexOf(BOUNDARY, from);
    if (boundary < 0) return { end: text.length, open: false };
    while (scan < boundary) {
      const open = text.indexOf('/*', scan);
      if (open < 0 || open >= boundary) break;
      const close = text.indexOf('*/', open + 2);
      // A `/*` never closed is no comment, nor is any after it.
      if (close < 0) return { end: boundary + BOUNDARY.length, open: true };
      scan = close + 2;
    }
    if (scan <= boundary) return { end: boundary + BOUNDARY.length, open: false };
    from = scan;
  }
}

/** A piece's findings: the last call's piece of the same text, or a search of it. */
function pieceOf(text: string, was: Chunk | undefined, last: Memo['lastScan'], byText: Map<string, Chunk> | undefined): Chunk {
  const known = byText?.get(text);
  if (known !== undefined) return known;
  const chunk = searchChunk(text);
  // A piece edited without changing what it holds (a digit typed) stays the same piece.
  return was !== undefined && last !== undefined && sameFindings(was, chunk) ? was : chunk;
}

function piecesByText(last: NonNullable<Memo['lastScan']>): Map<string, Chunk> {
  const map = new Map<string, Chunk>();
  for (let k = 0; k < last.ends.length; k++) map.set(last.text.slice(k === 0 ? 0 : last.ends[k - 1]!, last.ends[k]!), last.chunks[k]!);
  return map;
}

/** The index of `value` in the ascending list, or -1. */
function indexOf(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid]!;
    if (v === value) return mid;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function sameFindings(a: Chunk, b: Chunk): boolean {
  return (
    a.hints.length === b.hints.length &&
    a.words.length === b.words.length &&
    a.hints.every(([h, m], i) => b.hints[i]![0] === h && b.hints[i]![1] === m) &&
    a.words.every((w, i) => b.words[i] === w)
  );
}

function searchChunk(piece: string): Chunk {
  // Without its comments and string literals: what the script says, not what it prints.
  const text = piece.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/"(?:[^"\\\n]|\\.)*"/g, '""');
  const hints: [number, string][] = [];
  HINTS.forEach((h, i) => {
    const m = h.pattern.exec(text);
    if (m) hints.push([i, detached(m[0].replace(/^(->|\.)\s*/, '$1'))]);
  });
  const words = new Set<string>();
  for (const m of text.matchAll(/(?:->|\.)\s*([A-Za-z_][A-Za-z0-9_]*)|\b([A-Z][A-Z0-9_]{2,})\b/g)) words.add(detached(m[1] ?? m[2]!));
  return { hints, words: [...words] };
}

function has(values: ReadonlySet<string> | undefined, field: string): boolean {
  if (field === '') return true;
  if (!values) return false;
  if (!isGlob(field)) return values.has(field);
  for (const v of values) if (globMatch(v, field) > 0) return true;
  return false;
}
