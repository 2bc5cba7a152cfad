/**
 * Tells a DTrace `.d` file from the other things that live in `.d` files: programs in the
 * D programming language (which the code-d extension also claims) and the dependency files
 * that `cc -MD`, `dmd -makedeps` and friends write. Pure: no `vscode` import, so the unit
 * tests and any other host can use it.
 *
 * How a verdict is reached (first rule that applies wins):
 *
 *  1. Only the head of the text is read: the first {@link DETECTION_LIMITS.maxChars}
 *     characters and, of those, the first {@link DETECTION_LIMITS.maxLines} lines. Files are
 *     scripts or modules whose nature shows at the top; this keeps detection cheap on every
 *     open, even of a huge generated file.
 *  2. An interpreter line decides alone: `#!...dtrace...` is DTrace; `#!...rdmd|dmd|ldc2|gdc|dub`
 *     is D-language; any other interpreter (sh, perl...) makes the file `unknown`.
 *  3. Makefile dependency syntax: when there is at least one `target: prerequisites` rule whose
 *     target looks like a file, or one `:=` assignment (`cmd_x.o := cc ...`, as node-gyp and
 *     kbuild write), and rules, their `\` continuations and variable assignments make up at
 *     least 90 % of the non-blank, non-`#` lines, the verdict is `makefile`.
 *  4. Otherwise comments and string/character literal contents are blanked (so prose and
 *     format strings cannot vote) and every rule below scores each line it matches, with a
 *     weight and a cap on its total so that one repeated weak hint cannot outvote a real one.
 *     `dtrace` wins with a score of at least {@link PLAIN_SCORE} and at least
 *     {@link DOMINANCE} times the D-language score; `d` wins the same way; anything else is
 *     `unknown` (empty files, headers, fragments, mixed evidence).
 *
 * Weights: 10 means "one is enough" (a probe clause, `#pragma D option`, `module a.b;`,
 * `import std.`...), 4-6 a strong hint that still needs company (`self->x`, `@agg[...]`,
 * `auto x =`), 1-3 a weak one (DTrace built-in variables, `->`, `return x;`).
 */

export type Verdict = 'dtrace' | 'd' | 'makefile' | 'unknown';
export type Evidence = 'dtrace' | 'd';

export interface Signal {
  readonly language: Evidence;
  readonly rule: string;
  /** 1-based line of the match in the text. */
  readonly line: number;
  /** What this match added to its language's score, after the rule's cap. */
  readonly weight: number;
}

export interface Detection {
  readonly verdict: Verdict;
  readonly dtraceScore: number;
  readonly dlangScore: number;
  readonly signals: readonly Signal[];
  /** One line for logs: why the verdict. */
  readonly reason: string;
}

export const DETECTION_LIMITS = { maxChars: 64 * 1024, maxLines: 200 } as const;
/** The score from which one side's evidence counts as plain. */
export const PLAIN_SCORE = 10;
/** How many times the other side's score the winner needs. */
export const DOMINANCE = 2;

export function detectLanguage(text: string): Detection {
  const head = text.slice(0, DETECTION_LIMITS.maxChars).replace(/^\uFEFF/, '');
  const rawLines = head.split(/\r\n|\r|\n/, DETECTION_LIMITS.maxLines);

  const interpreter = interpreterVerdict(rawLines[0] ?? '');
  if (interpreter) return interpreter;

  if (looksLikeMakeDependencies(rawLines)) {
    return result('makefile', [], 'makefile: Makefile dependency rules (target: prerequisites)');
  }

  const blanked = blankCommentsAndStrings(rawLines.join('\n'));
  const lines = blanked.text.split('\n');
  const scorer = new Scorer();
  if (blanked.nestedComments > 0) scorer.add('d', 'nested comment /+ +/', blanked.nestedLine, 6, 6);
  scoreProbeClauses(lines, scorer);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (!/\S/.test(line)) continue;
    for (const rule of LINE_RULES) {
      if (rule.pattern.test(line)) scorer.add(rule.language, rule.name, i + 1, rule.weight, rule.cap);
    }
    if (isFunctionDefinition(lines, i)) scorer.add('d', 'function definition', i + 1, 4, 12);
  }

  const t = scoreOf(scorer.signals, 'dtrace');
  const l = scoreOf(scorer.signals, 'd');
  const verdict: Verdict =
    t >= PLAIN_SCORE && t >= DOMINANCE * l ? 'dtrace' : l >= PLAIN_SCORE && l >= DOMINANCE * t ? 'd' : 'unknown';
  return result(verdict, scorer.signals, describe(verdict, t, l, scorer.signals));
}

function scoreOf(signals: readonly Signal[], language: Evidence): number {
  return signals.filter((s) => s.language === language).reduce((n, s) => n + s.weight, 0);
}

function result(verdict: Verdict, signals: readonly Signal[], reason: string): Detection {
  return { verdict, dtraceScore: scoreOf(signals, 'dtrace'), dlangScore: scoreOf(signals, 'd'), signals, reason };
}

function describe(verdict: Verdict, t: number, l: number, signals: readonly Signal[]): string {
  const top = [...signals]
    .sort((a, b) => b.weight - a.weight || a.line - b.line)
    .slice(0, 3)
    .map((s) => `${s.rule} (line ${s.line})`);
  return `${verdict}: DTrace ${t} vs D-language ${l}${top.length ? `; ${top.join(', ')}` : ''}`;
}

class Scorer {
  readonly signals: Signal[] = [];
  private readonly spent = new Map<string, number>();

  add(language: Evidence, rule: string, line: number, weight: number, cap: number): void {
    const used = this.spent.get(rule) ?? 0;
    const granted = Math.min(weight, cap - used);
    if (granted <= 0) return;
    this.spent.set(rule, used + granted);
    this.signals.push({ language, rule, line, weight: granted });
  }
}

// ---------------------------------------------------------------------------------------
// Interpreter line

function interpreterVerdict(first: string): Detection | undefined {
  if (!first.startsWith('#!')) return undefined;
  if (/\bdtrace\b/.test(first)) {
    return result('dtrace', [{ language: 'dtrace', rule: 'interpreter line', line: 1, weight: 100 }], 'dtrace: #! names dtrace');
  }
  if (/\b(?:rdmd|dmd|ldc2|ldmd2|ldc|gdc|gdmd|dub)\b/.test(first)) {
    return result('d', [{ language: 'd', rule: 'interpreter line', line: 1, weight: 100 }], 'd: #! names a D compiler');
  }
  // A script for sh, perl, python... that happens to end in `.d` (Debian's update-rc.d).
  return result('unknown', [], 'unknown: #! names another interpreter');
}

// ---------------------------------------------------------------------------------------
// Makefile dependency files

// A make word: a drive prefix (gcc on Windows writes `C:/x.o:`), escaped characters (`\ `),
// and anything but blanks and the characters of C-like code (`;{}=`) or of a rule separator;
// `$(VAR)` references are plain characters. The alternatives share no character, so a long
// line cannot make the regular expression backtrack.
const MAKE_WORD = String.raw`(?:[A-Za-z]:[\\/])?(?:\\[^\n]|[^\s:\\;{}=#"'])+`;
const MAKE_RULE = new RegExp(
  String.raw`^(${MAKE_WORD}(?:[ \t]+${MAKE_WORD})*)[ \t]*:(?:[ \t]+${MAKE_WORD})*[ \t]*(\\?)[ \t]*$`,
);
const MAKE_CONTINUATION = new RegExp(String.raw`^[ \t]*(?:${MAKE_WORD}(?:[ \t]+${MAKE_WORD})*)?[ \t]*(\\?)[ \t]*$`);
// Labels (`private:`, `retry:`) have the shape of an empty rule: real targets are files.
const FILE_LIKE = /[./]|\$\(/;
// `NAME := value`, unindented and without the `;` a D statement would end with.
const MAKE_ASSIGNMENT = /^[A-Za-z_.$(][\w.$()/-]*[ \t]*(?::{1,3}=|\+=|\?=|!=|=)(?!=)(?:.*[^;\s])?[ \t]*(\\?)$/;

function looksLikeMakeDependencies(lines: readonly string[]): boolean {
  // Lines that only make syntax has: rules with a file target, `:=` assignments.
  let rules = 0;
  let ruleish = 0;
  let other = 0;
  let continued = false;
  for (const line of lines) {
    if (!/\S/.test(line)) {
      continued = false;
      continue;
    }
    if (/^\s*#/.test(line)) continue;
    const cont: RegExpExecArray | null = continued ? MAKE_CONTINUATION.exec(line) : null;
    if (cont) {
      ruleish++;
      continued = cont[1] === '\\';
      continue;
    }
    const rule: RegExpExecArray | null = MAKE_RULE.exec(line);
    if (rule && FILE_LIKE.test(rule[1] ?? '')) {
      rules++;
      ruleish++;
      continued = rule[2] === '\\';
      continue;
    }
    const assignment: RegExpExecArray | null = MAKE_ASSIGNMENT.exec(line);
    if (assignment && !/[{}]/.test(line)) {
      // `:=` is an operator of neither DTrace nor the D language: it alone marks make syntax.
      if (/^[^=]*:{1,3}=/.test(line)) rules++;
      ruleish++;
      continued = assignment[1] === '\\';
      continue;
    }
    other++;
    continued = false;
  }
  return rules > 0 && ruleish >= 0.9 * (ruleish + other);
}

// ---------------------------------------------------------------------------------------
// Blanking comments and literals

interface Blanked {
  readonly text: string;
  /** How many closed `/+ +/` comments, and the line of the first. */
  readonly nestedComments: number;
  readonly nestedLine: number;
}

/**
 * Replaces the contents of comments and string/character literals with spaces, keeping
 * newlines, so that line numbers hold and no rule matches prose. Literals end at the end of
 * their line: neither DTrace nor C strings span lines, and an unbalanced quote must not
 * swallow the rest of the file. D-language nesting comments `/+ +/` are blanked (and
 * counted) only when closed, since `/+` cannot open anything in DTrace.
 */
function blankCommentsAndStrings(src: string): Blanked {
  const out = src.split('');
  let nested = 0;
  let nestedLine = 0;
  let line = 1;
  const blank = (from: number, to: number): void => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    const next = src[i + 1];
    if (c === '\n') {
      line++;
      i++;
    } else if (c === '/' && next === '/') {
      const end = indexOrEnd(src, '\n', i);
      blank(i, end);
      i = end;
    } else if (c === '/' && next === '*') {
      const close = src.indexOf('*/', i + 2);
      const end = close < 0 ? src.length : close + 2;
      line += countNewlines(src, i, end);
      blank(i, end);
      i = end;
    } else if (c === '/' && next === '+' && src.indexOf('+/', i + 2) >= 0) {
      const end = nestingCommentEnd(src, i);
      if (nested++ === 0) nestedLine = line;
      line += countNewlines(src, i, end);
      blank(i, end);
      i = end;
    } else if (c === '"' || c === "'") {
      let k = i + 1;
      while (k < src.length && src[k] !== c && src[k] !== '\n') k += src[k] === '\\' ? 2 : 1;
      const end = Math.min(k, src.length);
      blank(i + 1, end);
      i = src[end] === c ? end + 1 : end;
    } else {
      i++;
    }
  }
  return { text: out.join(''), nestedComments: nested, nestedLine };
}

function nestingCommentEnd(src: string, start: number): number {
  let depth = 0;
  let k = start;
  while (k < src.length - 1) {
    if (src[k] === '/' && src[k + 1] === '+') {
      depth++;
      k += 2;
    } else if (src[k] === '+' && src[k + 1] === '/') {
      depth--;
      k += 2;
      if (depth === 0) return k;
    } else {
      k++;
    }
  }
  return src.length;
}

function indexOrEnd(s: string, needle: string, from: number): number {
  const at = s.indexOf(needle, from);
  return at < 0 ? s.length : at;
}

function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let k = from; k < to; k++) if (s.charCodeAt(k) === 10) n++;
  return n;
}

// ---------------------------------------------------------------------------------------
// Probe clauses: a probe description list followed by a predicate or an action block

// A field of `provider:module:function:name`: identifiers, `$target`/`$1` macros, module
// names such as `libc.so.1` or `libstdc++.so.6`, names such as `on-cpu`, and glob characters.
const FIELD = String.raw`[A-Za-z0-9_$.*?+\-\[\]!\\]*`;
const SINGLE_NAME = String.raw`(?:BEGIN|END|ERROR|(?:tick|profile)-\d+[A-Za-z]*)(?=[\s,{/]|$)`;
const DESCRIPTION = String.raw`(?:${SINGLE_NAME}|${FIELD}(?::${FIELD}){1,3})`;
const DESCRIPTION_LIST = new RegExp(String.raw`^\s*(${DESCRIPTION})(?:\s*,\s*${DESCRIPTION})*\s*,?\s*(.*)$`);
// Colon-ended words that are labels or attributes in the D language (and C), never providers.
const NOT_A_PROVIDER = new Set(
  'case default public private protected package export else do try finally static shared extern final override abstract synchronized __gshared const immutable auto scope deprecated align in out body debug version http https file'.split(
    ' ',
  ),
);
const PREDICATE_CLOSE = /\/\s*(?:\{.*)?$/;
const LOOKAHEAD_LINES = 8;

interface DescriptionLine {
  /** What follows the list on its line: a predicate, a block, or nothing. */
  readonly rest: string;
}

function matchDescriptionList(line: string): DescriptionLine | undefined {
  const m = DESCRIPTION_LIST.exec(line);
  if (!m) return undefined;
  const first = m[1] ?? '';
  if (!/[A-Za-z*?:]/.test(first)) return undefined;
  const provider = first.split(':')[0] ?? '';
  if (NOT_A_PROVIDER.has(provider)) return undefined;
  return { rest: m[2] ?? '' };
}

function predicateStartsAt(lines: readonly string[], index: number, text: string): boolean {
  if (!text.startsWith('/')) return false;
  if (/^\/.+\/\s*(?:\{.*)?$/.test(text)) return true;
  for (let k = index + 1; k < Math.min(lines.length, index + LOOKAHEAD_LINES); k++) {
    const l = lines[k] ?? '';
    if (PREDICATE_CLOSE.test(l)) return true;
    if (/[{};]/.test(l)) return false;
  }
  return false;
}

function nextNonBlank(lines: readonly string[], from: number): number {
  let k = from;
  while (k < lines.length && !/\S/.test(lines[k] ?? '')) k++;
  return k;
}

function scoreProbeClauses(lines: readonly string[], scorer: Scorer): void {
  for (let i = 0; i < lines.length; i++) {
    const head = matchDescriptionList(lines[i] ?? '');
    if (!head) continue;
    const rest = head.rest;
    if (rest.startsWith('{') || (rest.startsWith('/') && predicateStartsAt(lines, i, rest))) {
      scorer.add('dtrace', 'probe clause', i + 1, 10, 30);
      continue;
    }
    if (rest !== '') continue;
    // The list goes on, or the predicate or block starts, on the following lines.
    let k = nextNonBlank(lines, i + 1);
    while (k < lines.length && k < i + LOOKAHEAD_LINES) {
      const more = matchDescriptionList(lines[k] ?? '');
      if (!more || more.rest !== '') break;
      k = nextNonBlank(lines, k + 1);
    }
    const text = (lines[k] ?? '').trim();
    const more = matchDescriptionList(lines[k] ?? '');
    const opens =
      text.startsWith('{') ||
      predicateStartsAt(lines, k, text) ||
      (more !== undefined && (more.rest.startsWith('{') || predicateStartsAt(lines, k, more.rest)));
    if (opens) {
      scorer.add('dtrace', 'probe clause', i + 1, 10, 30);
      i = k;
    }
  }
}

// ---------------------------------------------------------------------------------------
// Line rules

interface LineRule {
  readonly name: string;
  readonly language: Evidence;
  readonly pattern: RegExp;
  readonly weight: number;
  readonly cap: number;
}

const rule = (language: Evidence, name: string, weight: number, cap: number, pattern: RegExp): LineRule => ({
  language,
  name,
  weight,
  cap,
  pattern,
});

const LINE_RULES: readonly LineRule[] = [
  // DTrace
  rule('dtrace', '#pragma D', 10, 30, /^\s*#\s*pragma\s+D\s+(?:option|attributes|depends_on|binding)\b/),
  rule('dtrace', '#pragma ident', 5, 5, /^\s*#\s*pragma\s+ident\b/),
  // D-language sources have no preprocessor; DTrace scripts run through cpp with -C.
  rule('dtrace', 'C preprocessor directive', 1, 3, /^\s*#\s*(?:include|define|undef|if|ifdef|ifndef|elif|else|endif|error)\b/),
  rule('dtrace', 'provider definition', 8, 16, /^\s*provider\s+[A-Za-z_]\w*\s*\{/),
  rule('dtrace', 'probe declaration', 3, 9, /^\s*probe\s+[A-Za-z_][\w$]*\s*\(.*\)\s*;/),
  rule('dtrace', 'translator', 10, 20, /^\s*translator\s+[A-Za-z_][\w\s*]*</),
  rule('dtrace', 'xlate', 5, 10, /\bxlate\s*</),
  rule('dtrace', 'inline constant', 5, 10, /^\s*inline\s+[A-Za-z_][\w\s*]*?\b[A-Za-z_]\w*\s*=(?!=)/),
  rule('dtrace', 'self->/this-> variable', 5, 10, /\b(?:self|this)->[A-Za-z_]/),
  rule('dtrace', 'self/this declaration', 5, 10, /^\s*(?:self|this)\s+[A-Za-z_][\w\s*]*?[A-Za-z_]\w*\s*(?:\[[^\]]*\])?\s*;/),
  // `int count[string, int];`: an associative array keyed by types (D-language writes `int[string]`).
  rule(
    'dtrace',
    'associative array declaration',
    4,
    8,
    /^\s*[A-Za-z_][\w\s*]*?\s\*?[A-Za-z_]\w*\s*\[\s*(?:string|(?:unsigned\s+|signed\s+)?(?:char|short|int|long(?:\s+long)?)|u?int(?:8|16|32|64)_t|[a-z_]\w*_t)\b[^\]]*\]\s*;/,
  ),
  rule('dtrace', 'aggregation', 5, 10, /@[A-Za-z_]?\w*\s*(?:\[|=(?!=))|\bprinta\s*\(/),
  rule('dtrace', 'macro variable', 4, 8, /\$(?:target|pid|ppid|pgid|sid|uid|gid|euid|egid|projid|taskid|\$?\d+)\b/),
  rule(
    'dtrace',
    'DTrace built-in variable',
    2,
    6,
    /\b(?:execname|probefunc|probemod|probename|probeprov|curthread|curpsinfo|curlwpsinfo|curcpu|vtimestamp|walltimestamp|ustackdepth|stackdepth|arg[0-9])\b|\b(?:args|uregs)\s*\[/,
  ),
  rule(
    'dtrace',
    'DTrace action or subroutine',
    3,
    9,
    /\b(?:copyinstr|copyin|copyinto|copyout|copyoutstr|stringof|quantize|lquantize|llquantize|ustack|jstack|tracemem|speculate|speculation|normalize|denormalize|progenyof|strjoin|chill|ufunc|usym|umod|uaddr|inet_ntoa6?|inet_ntop|msgdsize|mutex_owned|ddi_pathname)\s*\(/,
  ),
  // The D language has no `->` operator at all.
  rule('dtrace', '-> operator', 1, 3, /->/),

  // D programming language
  rule('d', 'module declaration', 10, 10, /^\s*(?:deprecated\s*(?:\([^)]*\))?\s*)?module\s+[A-Za-z_][\w.]*\s*;/),
  rule('d', 'import std/core', 10, 20, /^\s*(?:(?:public|private|static|package)\s+)*import\s+(?:std|core|etc)\./),
  rule(
    'd',
    'import',
    6,
    12,
    /^\s*(?:(?:public|private|static|package)\s+)*import\s+(?!(?:std|core|etc)\.)[A-Za-z_][\w.]*\s*(?:[:=,;]|$)/,
  ),
  rule('d', 'main function', 10, 10, /\b(?:void|int|auto)\s+main\s*\(/),
  rule('d', 'unittest block', 10, 20, /^\s*(?:@\w+\s+)*unittest\s*(?:\{|$)/),
  rule(
    'd',
    'class or interface',
    8,
    16,
    /^\s*(?:(?:final|abstract|public|private|package|protected|static|synchronized|scope)\s+)*(?:class|interface)\s+[A-Za-z_]\w*\s*(?:[:({]|\bif\b|$)/,
  ),
  rule('d', 'writeln', 8, 16, /\bwrite(?:f?ln|f)\s*\(/),
  rule('d', 'auto declaration', 5, 15, /\bauto\s+(?:ref\s+)?[A-Za-z_]\w*\s*=(?!=)/),
  rule('d', 'D attribute', 4, 8, /@(?:safe|trusted|system|nogc|property|disable|live|mustuse)\b(?!\s*[[=])|\b(?:pure|nothrow)\b/),
  rule('d', 'loop', 3, 6, /\b(?:foreach|foreach_reverse|for|while)\s*\(/),
  rule('d', 'return statement', 2, 6, /(?<![:\w$])return\b(?!\s*[{/,:]|\s*$)/),
  rule('d', 'static if/assert/foreach', 4, 8, /\bstatic\s+(?:if|assert|foreach)\b/),
  rule(
    'd',
    'template, mixin or alias',
    4,
    8,
    /^\s*(?:(?:public|private|package|protected)\s+)*(?:template\s+\w+\s*\(|mixin\b|alias\s+\w+\s*(?:\([^)]*\)\s*)?=|alias\s+[\w.!()[\]*]+\s+\w+\s*;)/,
  ),
  rule('d', 'scope guard', 6, 12, /\bscope\s*\(\s*(?:exit|success|failure)\s*\)/),
  rule('d', 'template instantiation', 3, 9, /\b[A-Za-z_]\w*!(?!=)(?:\(|[A-Za-z_])/),
  rule('d', 'constructor', 5, 10, /^\s*~?this\s*\(/),
  rule('d', 'extern linkage', 4, 8, /\bextern\s*\(\s*(?:C\+\+|C|D|Windows|System|Objective-C)\s*[,)]/),
  rule('d', 'cast expression', 3, 6, /\bcast\s*\(/),
  rule('d', 'version/debug condition', 4, 8, /^\s*(?:version|debug)\s*\(\s*\w+\s*\)/),
  rule('d', 'manifest constant', 3, 6, /\b(?:immutable|enum)\s+[A-Za-z_]\w*\s*=(?!=)/),
  rule('d', 'dynamic array type', 3, 6, /\b[A-Za-z_]\w*\[\]\s*[A-Za-z_(]/),
];

// A function definition `type name(params) {` (body on that line or the next): DTrace programs
// have no functions at all.
const FUNCTION_HEAD =
  /^\s*((?:[A-Za-z_][\w.!*[\]]*\s+)+)([A-Za-z_]\w*)\s*\([^;{]*?\)\s*(?:(?:const|immutable|inout|shared|pure|nothrow|scope|return|ref|override|@\w+)\s*)*(\{.*)?$/;
const NOT_A_TYPE = new Set(
  'if else while for foreach foreach_reverse switch with catch synchronized return case new throw do in out assert version debug typeof sizeof'.split(
    ' ',
  ),
);

function isFunctionDefinition(lines: readonly string[], i: number): boolean {
  const m = FUNCTION_HEAD.exec(lines[i] ?? '');
  if (!m) return false;
  const words = (m[1] ?? '').trim().split(/\s+/);
  if (words.some((w) => NOT_A_TYPE.has(w)) || NOT_A_TYPE.has(m[2] ?? '')) return false;
  if (m[3] !== undefined) return true;
  return (lines[nextNonBlank(lines, i + 1)] ?? '').trimStart().startsWith('{');
}
