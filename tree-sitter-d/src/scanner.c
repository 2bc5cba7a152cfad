// External scanner for tree-sitter-d: the two lexical rules of D that depend on context which
// a context-free token cannot see, plus the end of a control line.
//
// 1. Probe-description fields. At the top level DTrace's lexer reads a whole probe specifier
//    (`syscall::open*:entry`, `pid$target:a.out::entry`, `tick-1s`) as one token, unless the
//    text is a declaration (`int x;`, `uint64_t *p;`). A field is any run of the specifier
//    characters; we decide here whether the run at the start of a top-level item is a probe
//    field or the identifier/keyword that starts a declaration.
// 2. The predicate's closing `/`: it closes the predicate only when the next non-blank
//    character is `{`, `;`, `/` or the end of input; otherwise it is division.
// 3. The end of a `#` control line: a newline, or the end of input.
// 4. Typedef names: where a type may stand, a name ending in `_t` is a type (DTrace's lexer
//    knows the declared type names; by convention they end in `_t`).
// 6. Control lines in the middle of a construct: DTrace honours `#` lines at the start of any
//    line in any state; where no structured control line may stand, the whole line is one
//    CONTROL_LINE token (an extra).
// 5. Clause breaks: an empty token emitted where a probe description starts a line inside an
//    unfinished clause (`BEGIN { x = 1;` followed by `END {`), so that error recovery closes
//    the unfinished clause instead of reading the next one as statements.
// 7. The end of the input right after a clause's descriptions: two empty tokens that close a
//    clause with neither predicate nor body (DTrace's grammar accepts it; its compiler rejects
//    it in a file).
//
// The scanner keeps no state between tokens.

#include "tree_sitter/parser.h"

#include <stdbool.h>
#include <string.h>

enum TokenType {
  PROBE_FIELD_FIRST,
  PROBE_FIELD_NEXT,
  PREDICATE_END,
  LINE_END,
  TYPEDEF_NAME,
  STATEMENT_START,
  CLAUSE_BREAK,
  CONTROL_LINE,
  CONTROL_LINE_START,
  ERROR_SENTINEL,
  NEVER, // the grammar's `_never`: never produced (reserved words need it)
  END_OF_INPUT,
  INSIDE_STRING, // never produced: its validity says the lexer is inside a string literal
};

void *tree_sitter_d_external_scanner_create(void) { return NULL; }
void tree_sitter_d_external_scanner_destroy(void *payload) { (void)payload; }
unsigned tree_sitter_d_external_scanner_serialize(void *payload, char *buffer) {
  (void)payload;
  (void)buffer;
  return 0;
}
void tree_sitter_d_external_scanner_deserialize(void *payload, const char *buffer, unsigned length) {
  (void)payload;
  (void)buffer;
  (void)length;
}

static bool is_ident_start(int32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '`';
}

static bool is_digit(int32_t c) { return c >= '0' && c <= '9'; }

static bool is_ident_char(int32_t c) { return is_ident_start(c) || is_digit(c); }

// The characters of a probe specifier field (DTrace's lexer adds `:` between fields).
static bool is_pspec_char(int32_t c) {
  return is_ident_char(c) || c == '-' || c == '$' || c == '.' || c == '?' || c == '*' ||
         c == '[' || c == ']' || c == '!' || c == '\\';
}

// Later fields may also hold `+`, `<`, `>` and parentheses, as Apple's lexer allows: objc
// probes name class methods `+alloc` and categories `NSWindow(NSConstraintBasedLayout)`, and
// pid probes name C++ functions with template arguments.
static bool is_later_field_char(int32_t c) {
  return is_pspec_char(c) || c == '+' || c == '(' || c == ')' || c == '<' || c == '>';
}

static bool is_blank(int32_t c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

static bool is_space(int32_t c) { return is_blank(c) || c == '\n'; }

// C type words that may start a top-level declaration written without a blank before `*`
// (`int* p;`). Typedef names are recognised by their `_t` suffix, like DTrace's own lexer
// recognises known type names before a `*`.
static const char *const TYPE_WORDS[] = {
  "char", "short", "int", "long", "signed", "unsigned", "void", "float", "double", "string",
  "struct", "union", "enum", "const", "volatile", "restrict", "userland", "_Bool", NULL,
};

static bool is_type_word(const char *word, unsigned length) {
  if (length >= 2 && word[length - 2] == '_' && word[length - 1] == 't') return true;
  for (const char *const *w = TYPE_WORDS; *w; w++) {
    if (strlen(*w) == length && strncmp(*w, word, length) == 0) return true;
  }
  return false;
}

// D's keywords (reference 1.2): a bare keyword at the start of a top-level item always starts a
// declaration (`enum { A };`, `struct { int x; } s;`), never a probe description.
static const char *const KEYWORDS[] = {
  "auto", "break", "case", "char", "const", "continue", "counter", "default", "do", "double",
  "else", "enum", "extern", "float", "for", "goto", "if", "import", "inline", "int", "long",
  "offsetof", "probe", "provider", "register", "restrict", "return", "self", "short", "signed",
  "sizeof", "static", "string", "stringof", "struct", "switch", "this", "translator", "typedef",
  "union", "unsigned", "userland", "void", "volatile", "while", "xlate", NULL,
};

static bool is_keyword(const char *word, unsigned length) {
  for (const char *const *w = KEYWORDS; *w; w++) {
    if (strlen(*w) == length && strncmp(*w, word, length) == 0) return true;
  }
  return false;
}

// Passes blanks and newlines (consuming them into the token, or skipping them); true when what
// follows starts a line: a newline was passed and no blank after it. (The lexer's get_column
// rescans the line, which costs quadratic time on long lines.)
static bool skip_to_token(TSLexer *lexer, bool consume) {
  bool line_start = false;
  while (is_space(lexer->lookahead)) {
    line_start = lexer->lookahead == '\n';
    lexer->advance(lexer, !consume);
  }
  return line_start;
}

// Peeks past blanks, newlines and comments (the caller has already marked the token's end) and
// returns the next significant character; a lone `/` (a predicate) is returned as '/'. Sets
// `*newline` when a newline was passed.
static int32_t next_significant_line(TSLexer *lexer, bool *newline) {
  for (;;) {
    while (is_space(lexer->lookahead)) {
      if (lexer->lookahead == '\n') *newline = true;
      lexer->advance(lexer, false);
    }
    if (lexer->lookahead != '/') return lexer->eof(lexer) ? 0 : lexer->lookahead;
    lexer->advance(lexer, false);
    if (lexer->lookahead == '/') {
      while (!lexer->eof(lexer) && lexer->lookahead != '\n') lexer->advance(lexer, false);
    } else if (lexer->lookahead == '*') {
      lexer->advance(lexer, false);
      int32_t prev = 0;
      while (!lexer->eof(lexer) && !(prev == '*' && lexer->lookahead == '/')) {
        if (lexer->lookahead == '\n') *newline = true;
        prev = lexer->lookahead;
        lexer->advance(lexer, false);
      }
      if (lexer->eof(lexer)) return 0;
      lexer->advance(lexer, false);
    } else {
      return '/';
    }
  }
}

static int32_t next_significant(TSLexer *lexer) {
  bool newline = false;
  return next_significant_line(lexer, &newline);
}

#define WORD_MAX 64

// Scans a run of specifier characters; records up to WORD_MAX bytes of it and whether it
// contains anything beyond identifier characters.
typedef struct {
  unsigned length;
  char word[WORD_MAX];
  bool special;     // holds a glob, `$`, `-`, `.` or escape character
  bool digit_start; // begins with a digit
  unsigned ident_prefix; // length of the leading identifier before the first special char
  bool only_stars_after_prefix;
} Run;

static void scan_run(TSLexer *lexer, Run *run, bool later_field) {
  run->length = 0;
  run->special = false;
  run->digit_start = is_digit(lexer->lookahead);
  run->ident_prefix = 0;
  run->only_stars_after_prefix = true;
  bool in_prefix = true;
  while (later_field ? is_later_field_char(lexer->lookahead) : is_pspec_char(lexer->lookahead)) {
    int32_t c = lexer->lookahead;
    if (!is_ident_char(c)) {
      run->special = true;
      in_prefix = false;
      if (c != '*') run->only_stars_after_prefix = false;
    } else if (in_prefix) {
      run->ident_prefix++;
    } else {
      run->only_stars_after_prefix = false;
    }
    if (run->length < WORD_MAX) run->word[run->length] = (char)c;
    run->length++;
    lexer->advance(lexer, false);
    if (c == '\\' && lexer->lookahead != 0 && !lexer->eof(lexer) && !is_space(lexer->lookahead)) {
      // A backslash escapes the next character of a glob.
      if (run->length < WORD_MAX) run->word[run->length] = (char)lexer->lookahead;
      run->length++;
      lexer->advance(lexer, false);
    }
  }
}

// After a top-level run such as `int*x`, is this a declaration? Yes when `;` ends the line
// before any `{` or `/` (a probe description is followed by a predicate or a body). The look
// stays on the line, so that a long run of such words cannot make parsing quadratic.
static bool declaration_follows(TSLexer *lexer) {
  for (unsigned n = 0; n < 256; n++) {
    int32_t c = lexer->lookahead;
    if (c == ';') return true;
    if (lexer->eof(lexer) || c == '\n' || c == '{' || c == '/') return false;
    lexer->advance(lexer, false);
  }
  return false;
}

// Is the text at the lexer plainly a probe description: a field followed by `:`, or a word with
// a glob or other specifier character, or a name, followed by `{` or a predicate?
static bool probe_description_follows(TSLexer *lexer) {
  Run run;
  scan_run(lexer, &run, false);
  if (run.length == 0 || run.digit_start) return false;
  if (run.length <= WORD_MAX && is_keyword(run.word, run.length)) return false;
  if (lexer->lookahead == ':') return !memchr(run.word, '?', run.length < WORD_MAX ? run.length : WORD_MAX);
  int32_t next = next_significant(lexer);
  return next == '{' || (next == '/' && run.special);
}

static bool scan_probe_field(TSLexer *lexer, bool first) {
  while (is_space(lexer->lookahead)) lexer->advance(lexer, true);
  Run run;
  scan_run(lexer, &run, !first);
  if (run.length == 0) return false;
  lexer->mark_end(lexer);

  if (!first) {
    lexer->result_symbol = PROBE_FIELD_NEXT;
    return true;
  }

  // A field of a longer description: always a probe field.
  if (lexer->lookahead == ':') {
    lexer->result_symbol = PROBE_FIELD_FIRST;
    return true;
  }
  // A numeric probe id is an integer literal.
  if (run.digit_start && !run.special) return false;

  if (run.special) {
    // `int* p;`, `uint64_t **pp;`: a declaration, not a `*` glob.
    if (run.ident_prefix > 0 && run.only_stars_after_prefix && run.ident_prefix <= WORD_MAX &&
        is_type_word(run.word, run.ident_prefix)) {
      return false;
    }
    // `int*x;`, `foo*p;`: a name, stars, a name, then `;` before any `{` or `/`.
    if (run.ident_prefix > 0 && run.ident_prefix < run.length && run.ident_prefix < WORD_MAX &&
        run.word[run.ident_prefix] == '*' && declaration_follows(lexer)) {
      return false;
    }
    lexer->result_symbol = PROBE_FIELD_FIRST;
    return true;
  }

  // A bare word: a probe name (`BEGIN`, `END`) when what follows can only follow a probe
  // description (a predicate, a body, another description, the end of input, or a probe
  // description starting a later line); otherwise the keyword or type name that starts a
  // declaration (`myint x;`, also across lines).
  if (run.length <= WORD_MAX && is_keyword(run.word, run.length)) return false;
  bool newline = false;
  int32_t c = next_significant_line(lexer, &newline);
  if (c == '{' || c == '/' || c == ',' || c == 0 || (newline && probe_description_follows(lexer))) {
    lexer->result_symbol = PROBE_FIELD_FIRST;
    return true;
  }
  return false;
}

static bool scan_predicate_end(TSLexer *lexer) {
  while (is_space(lexer->lookahead)) lexer->advance(lexer, true);
  if (lexer->lookahead != '/') return false;
  lexer->advance(lexer, false);
  // `/*` starts a comment, even inside a predicate; so does `//` (a cpp script's comment),
  // except in `//*`, where DTrace closes the predicate and then opens a `/*` comment.
  if (lexer->lookahead == '*') return false;
  if (lexer->lookahead == '/') {
    lexer->mark_end(lexer);
    lexer->advance(lexer, false);
    if (lexer->lookahead != '*') return false;
    lexer->result_symbol = PREDICATE_END;
    return true;
  }
  lexer->mark_end(lexer);
  while (is_space(lexer->lookahead)) lexer->advance(lexer, false);
  int32_t c = lexer->lookahead;
  if (lexer->eof(lexer) || c == '{' || c == ';' || c == '/') {
    lexer->result_symbol = PREDICATE_END;
    return true;
  }
  return false;
}

static bool scan_line_end(TSLexer *lexer) {
  while (is_blank(lexer->lookahead)) lexer->advance(lexer, true);
  if (lexer->eof(lexer)) {
    lexer->mark_end(lexer);
    lexer->result_symbol = LINE_END;
    return true;
  }
  if (lexer->lookahead == '\n') {
    lexer->advance(lexer, false);
    lexer->mark_end(lexer);
    lexer->result_symbol = LINE_END;
    return true;
  }
  return false;
}

static bool scan_typedef_name(TSLexer *lexer) {
  while (is_space(lexer->lookahead)) lexer->advance(lexer, true);
  if (!is_ident_start(lexer->lookahead)) return false;
  int32_t last = 0, before_last = 0;
  unsigned length = 0;
  while (is_ident_char(lexer->lookahead)) {
    before_last = last;
    last = lexer->lookahead;
    length++;
    lexer->advance(lexer, false);
  }
  if (length < 3 || before_last != '_' || last != 't') return false;
  lexer->mark_end(lexer);
  // Like DTrace's lexer, a name followed by what cannot follow a type (`/`, `+`, `=`, `[`...)
  // is a variable: `(elapsed_t / 1000)`.
  int32_t next = next_significant(lexer);
  if (next == ')' || next == '*' || next == ',' || next == '>' || next == '<' || next == ']' ||
      next == '(' || next == ';' || next == ':' || is_ident_start(next)) {
    lexer->result_symbol = TYPEDEF_NAME;
    return true;
  }
  return false;
}

// Is the text at the start of this line plainly a new probe clause? Called where a statement
// or a clause's predicate/body is expected; emits an empty CLAUSE_BREAK before it.
// The token holds the blank lines before the description: skipping it during recovery then
// costs more than closing the unfinished clause.
static bool scan_clause_break(TSLexer *lexer, bool line_start) {
  if (!line_start || lexer->eof(lexer)) return false;
  lexer->mark_end(lexer);
  Run run;
  scan_run(lexer, &run, false);
  if (run.length == 0 || run.digit_start) return false;
  bool keyword = run.length <= WORD_MAX && is_keyword(run.word, run.length);
  bool label = run.length <= WORD_MAX && run.length == 7 && strncmp(run.word, "default", 7) == 0;
  if (lexer->lookahead == ':') {
    // `x?1:0;` is a statement: a `?` before the colon is a conditional, not a glob.
    if (keyword || label || memchr(run.word, '?', run.length < WORD_MAX ? run.length : WORD_MAX)) return false;
    lexer->result_symbol = CLAUSE_BREAK;
    return true;
  }
  if (keyword || label) return false;
  int32_t next = next_significant(lexer);
  if (next == '{' || (next == '/' && run.special)) {
    lexer->result_symbol = CLAUSE_BREAK;
    return true;
  }
  return false;
}

// The rest of a `#` line, with backslash-newline continuations; the newline is not included.
static void scan_to_line_end(TSLexer *lexer) {
  while (!lexer->eof(lexer) && lexer->lookahead != '\n') {
    if (lexer->lookahead == '\\') {
      lexer->advance(lexer, false);
      if (lexer->lookahead == '\r') lexer->advance(lexer, false);
      if (lexer->lookahead == '\n') lexer->advance(lexer, false);
      continue;
    }
    lexer->advance(lexer, false);
  }
}

// During error recovery (every symbol valid) a word at the start of a line that is plainly a
// probe description (`END {`, `syscall::read:entry`) is still a probe field, so that a clause
// missing its `}` does not swallow the clauses after it.
static bool scan_recovery_probe_field(TSLexer *lexer) {
  bool line_start = skip_to_token(lexer, false);
  if (!line_start || !is_pspec_char(lexer->lookahead) || is_digit(lexer->lookahead)) return false;
  Run run;
  scan_run(lexer, &run, false);
  lexer->mark_end(lexer);
  if (lexer->lookahead == ':') {
    lexer->result_symbol = PROBE_FIELD_FIRST;
    return true;
  }
  while (is_blank(lexer->lookahead)) lexer->advance(lexer, false);
  if (lexer->lookahead == '{') {
    lexer->result_symbol = PROBE_FIELD_FIRST;
    return true;
  }
  return false;
}

bool tree_sitter_d_external_scanner_scan(void *payload, TSLexer *lexer, const bool *valid_symbols) {
  (void)payload;
  if (valid_symbols[ERROR_SENTINEL]) return scan_recovery_probe_field(lexer);

  if (valid_symbols[LINE_END] && scan_line_end(lexer)) return true;
  // The second of the two end-of-input tokens that close a clause with neither predicate nor
  // body (the first is read where a statement could start, below).
  if (valid_symbols[END_OF_INPUT] && !valid_symbols[STATEMENT_START] && !valid_symbols[CONTROL_LINE_START]) {
    lexer->mark_end(lexer);
    if (next_significant(lexer) == 0) {
      lexer->result_symbol = END_OF_INPUT;
      return true;
    }
    return false;
  }
  // An end-of-input token is empty: the clause it closes ends with its last description.
  if (valid_symbols[END_OF_INPUT]) lexer->mark_end(lexer);
  bool line_start = false, skipped = false;
  if (valid_symbols[CONTROL_LINE] && !valid_symbols[CONTROL_LINE_START]) {
    // Right after a clause's descriptions the blank lines before a line-start description
    // belong to a clause break (see scan_clause_break), so they are consumed, not skipped.
    bool keep = valid_symbols[STATEMENT_START];
    line_start = skip_to_token(lexer, keep);
    skipped = true;
    // A string literal never spans lines, so a `#` inside one (`"# x"`, `"a\n# b"`) is text.
    if (lexer->lookahead == '#' && !valid_symbols[INSIDE_STRING]) {
      scan_to_line_end(lexer);
      lexer->mark_end(lexer);
      lexer->result_symbol = CONTROL_LINE;
      return true;
    }
  }
  if (valid_symbols[PREDICATE_END]) return scan_predicate_end(lexer);
  if (valid_symbols[PROBE_FIELD_FIRST]) return scan_probe_field(lexer, true);
  if (valid_symbols[PROBE_FIELD_NEXT]) return scan_probe_field(lexer, false);
  if (valid_symbols[STATEMENT_START]) {
    if (!skipped) line_start = skip_to_token(lexer, true);
    // Descriptions at the end of the input: a clause with neither predicate nor body. (After a
    // top-level macro invocation, which could be a description, the input just ends.)
    if (valid_symbols[END_OF_INPUT] && !valid_symbols[CONTROL_LINE_START]) {
      if (lexer->eof(lexer)) {
        lexer->result_symbol = END_OF_INPUT;
        return true;
      }
      // A comment, then the end; or a predicate (no clause break starts with `/`).
      if (lexer->lookahead == '/') {
        if (next_significant(lexer) != 0) return false;
        lexer->result_symbol = END_OF_INPUT;
        return true;
      }
    }
    return scan_clause_break(lexer, line_start);
  }
  if (valid_symbols[TYPEDEF_NAME]) return scan_typedef_name(lexer);
  return false;
}
