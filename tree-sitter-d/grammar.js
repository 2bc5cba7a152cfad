/**
 * @file Tree-sitter grammar for D, the language of DTrace (illumos, FreeBSD, macOS).
 * @license MIT
 *
 * Follows what DTrace's own compiler accepts (see ../docs/grammar-notes.md for the decisions).
 * Two lexical rules of D cannot be written as context-free tokens and live in src/scanner.c:
 *  - a probe-description field (`syscall`, `open*`, `pid$target`, `tick-1s`, `a.out`) versus an
 *    identifier or keyword starting a top-level declaration;
 *  - the `/` that closes a predicate: only when the next non-blank character is `{`, `;`, `/`
 *    or the end of input; any other `/` inside a predicate is division.
 */

/// <reference types="tree-sitter-cli/dsl" />
// @ts-check

const PREC = {
  COMMA: -1,
  ASSIGN: 1,
  CONDITIONAL: 2,
  LOGICAL_OR: 3,
  LOGICAL_XOR: 4,
  LOGICAL_AND: 5,
  BITWISE_OR: 6,
  BITWISE_XOR: 7,
  BITWISE_AND: 8,
  EQUALITY: 9,
  RELATIONAL: 10,
  SHIFT: 11,
  ADDITIVE: 12,
  MULTIPLICATIVE: 13,
  CAST: 14,
  UNARY: 15,
  POSTFIX: 16,
  PRIMARY: 17,
};

// Member names after `.`/`->` may be these D keywords (`x->string` is legal D).
const MEMBER_KEYWORDS = ['probe', 'provider', 'self', 'string', 'stringof', 'userland', 'xlate', 'translator'];

module.exports = grammar({
  name: 'd',

  word: $ => $.identifier,

  externals: $ => [
    $._probe_field_first,
    $._probe_field_next,
    $._predicate_end,
    $._line_end,
    $._typedef_name,
    $._statement_start,
    $._clause_break,
    $.control_line,
    $._control_line_start,
    $._error_sentinel,
    // Never produced (see `reserved_word`).
    $._never,
    // The end of the input, right after a clause's descriptions.
    $._end_of_input,
    // Never produced: valid only inside a string literal, which tells the scanner that a `#`
    // there is text, not a control line.
    $._inside_string,
  ],

  // DTrace honours a control line at the start of any line, in any lexer state. Where a
  // top-level item or a statement may start, control lines parse with their structure
  // (`pragma_directive`, `preproc_if`...); anywhere else (between a description and its body,
  // inside a predicate or an expression), the scanner reads the whole line as a `control_line`.
  extras: $ => [/\s|\\\r?\n/, $.comment, $.control_line],

  supertypes: $ => [$._expression, $._statement, $._type_specifier, $._declarator, $._abstract_declarator],

  inline: $ => [$._field_identifier, $._type_identifier, $._top_level_item, $._declaration_specifiers],

  conflicts: $ => [
    [$._type_specifier, $._expression],
    [$._type_specifier, $._declarator],
  ],

  rules: {
    // `_clause_break` is an empty token the scanner emits where a line-start probe description
    // shows that the clause before it is unfinished (a body missing its `}`, a description with
    // neither predicate nor body): the parser then closes that clause with a MISSING token or
    // an ERROR, and the next clause keeps its structure.
    source_file: $ => repeat(choice($._top_level_item, $._clause_break)),

    _top_level_item: $ => choice(
      $.probe_clause,
      $.declaration,
      $.type_definition,
      $.inline_definition,
      $.translator_definition,
      $.provider_definition,
      $.macro_invocation,
      $._control_line,
    ),

    // In scripts run through cpp (-C), a function-like macro may expand to whole clauses:
    // `TRACE_FAILURE(openat)` at the top level.
    macro_invocation: $ => seq(
      field('macro', $.identifier),
      token.immediate('('),
      optional(commaSep1(field('argument', $.macro_argument))),
      ')',
    ),

    // Any tokens, with balanced parentheses; strings and character constants keep their commas
    // and parentheses, as cpp reads them.
    macro_argument: $ => repeat1($._macro_argument_part),

    _macro_argument_part: $ => choice(
      $._macro_text,
      $.string_literal,
      $.char_literal,
      seq('(', repeat(choice($._macro_argument_part, ',')), ')'),
    ),

    _macro_text: _ => token(prec(-1, /[^(),"'\s]+/)),

    // `#!/usr/sbin/dtrace -qs`: DTrace discards any line that starts with `#!`, wherever it is.
    interpreter_line: _ => token(seq('#!', /[^\n]*/)),

    // ------------------------------------------------------------------ clauses

    // DTrace's grammar accepts descriptions with neither predicate nor body: in a file it then
    // reports "expected predicate and/or actions following probe description" (D_SYNTAX); on the
    // command line (`dtrace -n BEGIN`) it is a clause with the default action. Such a clause
    // parses at the end of the input; before another clause it stays an ERROR (see
    // `_clause_break`), as the first description could as well be a macro standing for a
    // predicate in a script meant for cpp.
    probe_clause: $ => seq(
      field('descriptions', $.probe_description_list),
      // Never produced: marks, for the scanner, the place after the descriptions.
      optional($._statement_start),
      choice(
        seq(field('predicate', $.predicate), optional(field('body', $.clause_body))),
        field('body', $.clause_body),
        // Twice, so that error recovery never closes a half-typed clause with a missing one.
        seq($._end_of_input, $._end_of_input),
      ),
    ),

    probe_description_list: $ => seq(
      $.probe_description,
      repeat(seq(',', $.probe_description)),
    ),

    // With fewer than four fields the given ones are the rightmost: `name`, `function:name`,
    // `module:function:name`. Any field may be empty.
    probe_description: $ => {
      const first = alias($._probe_field_first, $.probe_field);
      const next = alias($._probe_field_next, $.probe_field);
      return choice(
        field('id', alias($.integer_literal, $.probe_id)),
        // In scripts run through cpp (-C), `TICK(5s)` may expand to a description.
        field('macro', $.macro_invocation),
        field('name', first),
        seq(
          optional(field('function', first)), ':',
          optional(field('name', next)),
        ),
        seq(
          optional(field('module', first)), ':',
          optional(field('function', next)), ':',
          optional(field('name', next)),
        ),
        seq(
          optional(field('provider', first)), ':',
          optional(field('module', next)), ':',
          optional(field('function', next)), ':',
          optional(field('name', next)),
          // More than four fields: D_PDESC_INVAL "Overspecified probe description".
          repeat(seq(':', optional(next))),
        ),
      );
    },

    predicate: $ => seq(
      '/',
      field('condition', $._expression),
      alias($._predicate_end, '/'),
    ),

    // The last statement of a body may omit its `;`.
    clause_body: $ => statementBlock($),

    compound_statement: $ => statementBlock($),

    // ------------------------------------------------------------------ statements

    _statement: $ => choice(
      $.expression_statement,
      $.empty_statement,
      $.if_statement,
      $.for_statement,
      $.while_statement,
      $.do_statement,
      $.switch_statement,
      $.return_statement,
      $.break_statement,
      $.continue_statement,
      $.goto_statement,
      $._control_line,
    ),

    expression_statement: $ => seq($._expression, ';'),

    empty_statement: _ => ';',

    _unterminated_statement: $ => $._expression,

    // `if` is sugar: the compiler rewrites it into predicated clauses. Dangling `else` binds to
    // the nearest `if`.
    if_statement: $ => prec.right(seq(
      'if',
      field('condition', $.parenthesized_expression),
      field('consequence', $._body),
      optional(field('alternative', $.else_clause)),
    )),

    else_clause: $ => seq('else', $._body),

    _body: $ => choice($.compound_statement, $._statement),

    // D has no loops, `switch`, `return`, `break`, `continue` or `goto`: they are reserved words
    // with no meaning. They get their own nodes so the analyzer can say why, and what to write.
    for_statement: $ => seq(
      'for', '(',
      optional(field('initializer', $._expression)), ';',
      optional(field('condition', $._expression)), ';',
      optional(field('update', $._expression)),
      ')',
      field('body', $._body),
    ),

    while_statement: $ => seq('while', field('condition', $.parenthesized_expression), field('body', $._body)),

    do_statement: $ => seq('do', field('body', $._body), 'while', field('condition', $.parenthesized_expression), ';'),

    switch_statement: $ => seq(
      'switch',
      field('condition', $.parenthesized_expression),
      '{', repeat($.case_statement), '}',
    ),

    case_statement: $ => prec.right(seq(
      choice(seq('case', field('value', $._expression)), 'default'),
      ':',
      repeat($._statement),
    )),

    return_statement: $ => seq('return', optional($._expression), ';'),

    break_statement: _ => seq('break', ';'),

    continue_statement: _ => seq('continue', ';'),

    goto_statement: $ => seq('goto', field('label', $.identifier), ';'),

    // ------------------------------------------------------------------ expressions

    _expression: $ => choice(
      $.identifier,
      // `self` or `this` alone: DTrace's grammar reads them as identifiers, its compiler then
      // rejects them (D_IDENT_BADREF).
      alias('self', $.identifier),
      alias('this', $.identifier),
      $.reserved_word,
      $.integer_literal,
      $.float_literal,
      $.char_literal,
      $.string_literal,
      $.macro_variable,
      $.aggregation,
      $.thread_local_variable,
      $.clause_local_variable,
      $.parenthesized_expression,
      $.call_expression,
      $.subscript_expression,
      $.field_expression,
      $.update_expression,
      $.unary_expression,
      $.pointer_expression,
      $.sizeof_expression,
      $.stringof_expression,
      $.offsetof_expression,
      $.xlate_expression,
      $.cast_expression,
      $.binary_expression,
      $.conditional_expression,
      $.assignment_expression,
      $.comma_expression,
    ),

    parenthesized_expression: $ => seq('(', $._expression, ')'),

    // `self->x`: a thread-local variable; `this->x`: a clause-local variable.
    thread_local_variable: $ => prec(PREC.PRIMARY, seq('self', '->', field('name', $._field_identifier))),

    clause_local_variable: $ => prec(PREC.PRIMARY, seq('this', '->', field('name', $._field_identifier))),

    call_expression: $ => prec(PREC.POSTFIX, seq(
      field('function', $._expression),
      field('arguments', $.argument_list),
    )),

    argument_list: $ => seq('(', optional(commaSep1($._assignment_operand)), ')'),

    // `a[k1, k2]`: a tuple subscript (associative arrays, aggregations, args[]).
    subscript_expression: $ => prec(PREC.POSTFIX, seq(
      field('argument', $._expression),
      field('indices', $.subscript_list),
    )),

    subscript_list: $ => seq('[', commaSep1($._assignment_operand), ']'),

    field_expression: $ => prec(PREC.POSTFIX, seq(
      field('argument', $._expression),
      field('operator', choice('.', '->')),
      field('field', $._field_identifier),
    )),

    update_expression: $ => {
      const op = choice('++', '--');
      return prec.right(PREC.UNARY, choice(
        seq(field('operator', op), field('argument', $._expression)),
        prec(PREC.POSTFIX, seq(field('argument', $._expression), field('operator', op))),
      ));
    },

    unary_expression: $ => prec.left(PREC.UNARY, seq(
      field('operator', choice('!', '~', '-', '+')),
      field('argument', $._expression),
    )),

    pointer_expression: $ => prec.left(PREC.UNARY, seq(
      field('operator', choice('*', '&')),
      field('argument', $._expression),
    )),

    sizeof_expression: $ => prec(PREC.UNARY, seq(
      'sizeof',
      choice(
        field('value', $._expression),
        prec.dynamic(-1, seq('(', field('type', $.type_descriptor), ')')),
      ),
    )),

    stringof_expression: $ => prec(PREC.UNARY, seq('stringof', field('value', $._expression))),

    offsetof_expression: $ => seq(
      'offsetof', '(',
      field('type', $.type_descriptor), ',',
      field('member', $._field_identifier),
      ')',
    ),

    xlate_expression: $ => seq(
      'xlate', '<', field('type', $.type_descriptor), '>',
      '(', field('value', $._expression), ')',
    ),

    cast_expression: $ => prec.dynamic(-1, prec(PREC.CAST, seq(
      '(', field('type', $.type_descriptor), ')',
      field('value', $._expression),
    ))),

    binary_expression: $ => {
      const table = [
        ['+', PREC.ADDITIVE],
        ['-', PREC.ADDITIVE],
        ['*', PREC.MULTIPLICATIVE],
        ['/', PREC.MULTIPLICATIVE],
        ['%', PREC.MULTIPLICATIVE],
        ['||', PREC.LOGICAL_OR],
        ['^^', PREC.LOGICAL_XOR],
        ['&&', PREC.LOGICAL_AND],
        ['|', PREC.BITWISE_OR],
        ['^', PREC.BITWISE_XOR],
        ['&', PREC.BITWISE_AND],
        ['==', PREC.EQUALITY],
        ['!=', PREC.EQUALITY],
        ['>', PREC.RELATIONAL],
        ['>=', PREC.RELATIONAL],
        ['<=', PREC.RELATIONAL],
        ['<', PREC.RELATIONAL],
        ['<<', PREC.SHIFT],
        ['>>', PREC.SHIFT],
      ];
      return choice(...table.map(([operator, precedence]) => prec.left(/** @type {number} */ (precedence), seq(
        field('left', $._expression),
        field('operator', /** @type {string} */ (operator)),
        field('right', $._expression),
      ))));
    },

    // The middle operand is a full expression; the last binds like C's conditional operand.
    conditional_expression: $ => prec.right(PREC.CONDITIONAL, seq(
      field('condition', $._expression),
      '?',
      field('consequence', $._expression),
      ':',
      field('alternative', $._expression),
    )),

    assignment_expression: $ => prec.right(PREC.ASSIGN, seq(
      field('left', $._expression),
      field('operator', choice('=', '*=', '/=', '%=', '+=', '-=', '<<=', '>>=', '&=', '^=', '|=')),
      field('right', $._expression),
    )),

    comma_expression: $ => prec.left(PREC.COMMA, seq(
      field('left', $._expression),
      ',',
      field('right', $._expression),
    )),

    // Arguments and tuple keys are assignment expressions: a bare comma separates them.
    _assignment_operand: $ => prec(PREC.ASSIGN, $._expression),

    // ------------------------------------------------------------------ atoms

    // `counter` and `import` are reserved words with no grammar rule: where a name may stand
    // they are keywords, which need a token the scanner never produces, so they are always a
    // syntax error (as in DTrace) instead of silently becoming identifiers.
    reserved_word: $ => seq(choice('counter', 'import'), $._never, $._never),

    // Backquotes scope kernel symbols and types (`` `sym``, ``mod`sym``); a module name may hold
    // dots (``zfs.ko`spa_mode_global``, ``libc.so.1`malloc``).
    identifier: _ => token(choice(
      /[A-Za-z_`][A-Za-z0-9_`]*/,
      /[A-Za-z_`][A-Za-z0-9_.`]*`[A-Za-z0-9_`]*/,
    )),

    // `@name`, or a lone `@` (the anonymous aggregation `@_`).
    aggregation: _ => token(seq('@', optional(/[A-Za-z_][A-Za-z0-9_]*/))),

    // `$1`, `$$1` (always a string), `$target`, `$pid`, `$0`.
    macro_variable: _ => token(seq('$', optional('$'), /[A-Za-z0-9_]+/)),

    integer_literal: _ => token(seq(
      choice(/0[xX][0-9a-fA-F]+/, /[0-9]+/),
      optional(/[uU]?[lL]?[lL]?/),
    )),

    // DIF has no floating point: DTrace lexes these only to reject them.
    float_literal: _ => token(choice(
      /[0-9]+\.[0-9]*([eE][+-]?[0-9]+)?[fFlL]?/,
      /\.[0-9]+([eE][+-]?[0-9]+)?[fFlL]?/,
      /[0-9]+[eE][+-]?[0-9]+[fFlL]?/,
    )),

    // Up to eight characters packed into an integer; escapes as in strings.
    char_literal: _ => token(seq("'", repeat(choice(/[^'\\\n]/, /\\[^\n]/, /\\[0-7]{1,3}/, /\\[xX][0-9a-fA-F]+/)), "'")),

    string_literal: $ => seq(
      '"',
      repeat(choice(
        alias(token.immediate(prec(1, /[^\\"\n]+/)), $.string_content),
        $.escape_sequence,
        $._inside_string,
      )),
      '"',
    ),

    escape_sequence: _ => token.immediate(seq('\\', choice(
      /[0-7]{1,3}/,
      /[xX][0-9a-fA-F]*/,
      /[^xX0-7\n]/,
    ))),

    comment: _ => token(choice(
      seq('//', /[^\n]*/),
      seq('/*', /[^*]*\*+([^/*][^*]*\*+)*/, '/'),
    )),

    // ------------------------------------------------------------------ declarations

    declaration: $ => seq(
      $._declaration_specifiers,
      optional(commaSep1(field('declarator', $._declarator))),
      ';',
    ),

    // `typedef` is a storage class to DTrace: other storage classes and a second `typedef` parse
    // (D_DECL_CLASS), and so does a typedef without a name (D_DECL_USELESS).
    type_definition: $ => seq(
      optional($._declaration_modifiers),
      'typedef',
      repeat(choice($._declaration_modifier, alias('typedef', $.storage_class_specifier))),
      field('type', $._type_specifier),
      repeat(choice($._declaration_modifier, alias('typedef', $.storage_class_specifier), field('type', $._extra_type_specifier))),
      optional(commaSep1(field('declarator', $._declarator))),
      ';',
    ),

    // `inline int NAME = expr;`, `inline string f[int x] = expr;`
    inline_definition: $ => seq(
      'inline',
      $._declaration_specifiers,
      field('declarator', $._declarator),
      '=',
      field('value', $._expression),
      ';',
    ),

    // `translator out_t < in_t *x > { member = expr; };`
    translator_definition: $ => seq(
      'translator',
      field('output', $.type_descriptor),
      '<',
      field('input', $.parameter_declaration),
      '>',
      '{',
      repeat($.translator_member),
      '}',
      ';',
    ),

    translator_member: $ => seq(
      field('member', $._field_identifier),
      '=',
      field('value', $._expression),
      ';',
    ),

    // USDT provider definitions: `provider p { probe q(int, char *) : (int); };`
    provider_definition: $ => seq(
      'provider',
      field('name', $.identifier),
      '{',
      repeat(choice($.probe_declaration, $._control_line)),
      '}',
      ';',
    ),

    probe_declaration: $ => seq(
      'probe',
      field('name', $.identifier),
      field('parameters', $.parameter_list),
      optional(seq(':', field('translated_parameters', $.parameter_list))),
      ';',
    ),

    // DTrace's grammar reads any run of storage classes, qualifiers and type specifiers; its
    // declaration code then rejects the bad combinations (`int char`, `long struct s`,
    // `unsigned uint64_t`, `self typedef int`). The first type specifier is the `type` field;
    // each one after it (a tag or a typedef name) is one more `type`. Inlined, so that the name
    // after a type is read as a type name or as the declarator by the token after it.
    _declaration_specifiers: $ => seq(
      optional($._declaration_modifiers),
      field('type', $._type_specifier),
      repeat(choice($._declaration_modifier, field('type', $._extra_type_specifier))),
    ),

    // One rule for the modifiers before a declaration's type or a `typedef`, so that both read
    // `self const ...` the same way until one of them is decided.
    _declaration_modifiers: $ => repeat1($._declaration_modifier),

    // A type specifier after the first: a tag or a typedef name (type words after type words
    // join one `sized_type_specifier`). A name there is a type name only when another name or
    // `*` follows (`struct pair size_t x;`); otherwise it is the declarator.
    _extra_type_specifier: $ => choice(
      $.struct_specifier,
      $.union_specifier,
      $.enum_specifier,
      prec(-1, alias($.identifier, $.type_identifier)),
    ),

    _declaration_modifier: $ => choice($.storage_class_specifier, $.type_qualifier),

    // `self` and `this` declare thread-local and clause-local variables; `auto`, `register` and
    // `static` parse (D rejects them with D_DECL_BADCLASS).
    storage_class_specifier: _ => choice('extern', 'static', 'register', 'auto', 'self', 'this'),

    type_qualifier: _ => choice('const', 'volatile', 'restrict', 'userland'),

    _type_specifier: $ => choice(
      $.reserved_word,
      $.struct_specifier,
      $.union_specifier,
      $.enum_specifier,
      $.sized_type_specifier,
      $.primitive_type,
      $._type_identifier,
    ),

    // `unsigned long long`, `short int`, and the other orders DTrace also accepts
    // (`int unsigned`, `char unsigned`).
    // Several primitive words (`int char`, `void int`) parse too: D_DECL_COMBO is the analyzer's.
    sized_type_specifier: $ => {
      const attribute = choice('signed', 'unsigned', 'long', 'short');
      return choice(
        seq(
          repeat1(attribute),
          optional(seq(field('type', $.primitive_type), repeat(choice(attribute, field('type', $.primitive_type))))),
        ),
        seq(field('type', $.primitive_type), repeat1(choice(attribute, field('type', $.primitive_type)))),
      );
    },

    primitive_type: _ => choice('void', 'char', 'int', 'float', 'double', 'string', '_Bool'),

    // Names ending in `_t` are typedef names by convention; the scanner reads them as types
    // where a type may stand, so `(uint64_t)-1` is a cast and `(a) - 1` a subtraction.
    _type_identifier: $ => choice(
      alias($.identifier, $.type_identifier),
      alias($._typedef_name, $.type_identifier),
    ),

    struct_specifier: $ => prec.right(seq(
      'struct',
      choice(
        seq(field('name', $._type_identifier), optional(field('body', $.field_declaration_list))),
        field('body', $.field_declaration_list),
      ),
    )),

    union_specifier: $ => prec.right(seq(
      'union',
      choice(
        seq(field('name', $._type_identifier), optional(field('body', $.field_declaration_list))),
        field('body', $.field_declaration_list),
      ),
    )),

    enum_specifier: $ => prec.right(seq(
      'enum',
      choice(
        seq(field('name', $._type_identifier), optional(field('body', $.enumerator_list))),
        field('body', $.enumerator_list),
      ),
    )),

    field_declaration_list: $ => seq('{', repeat(choice($.field_declaration, $._control_line)), '}'),

    field_declaration: $ => seq(
      $._declaration_specifiers,
      optional(commaSep1(choice(
        field('declarator', $._declarator),
        $.bitfield_declarator,
      ))),
      ';',
    ),

    bitfield_declarator: $ => seq(
      optional(field('declarator', $._declarator)),
      ':',
      field('width', $._expression),
    ),

    enumerator_list: $ => seq('{', optional(seq(commaSep1($.enumerator), optional(','))), '}'),

    enumerator: $ => seq(
      field('name', $.identifier),
      optional(seq('=', field('value', $._assignment_operand))),
    ),

    _declarator: $ => choice(
      $.reserved_word,
      $.pointer_declarator,
      $.array_declarator,
      $.function_declarator,
      $.parenthesized_declarator,
      $.identifier,
    ),

    pointer_declarator: $ => prec.dynamic(1, prec.right(seq(
      '*',
      repeat($.type_qualifier),
      field('declarator', $._declarator),
    ))),

    // `int a[10]` (a fixed array), `int a[string, int]` (an associative array's key signature),
    // `inline string f[int x] = ...` (an inline with parameters).
    array_declarator: $ => prec(PREC.POSTFIX, seq(
      field('declarator', $._declarator),
      '[',
      optional(field('size', choice($._assignment_operand, $.array_key_list))),
      ']',
    )),

    // `[int, ...]` and `[...]` parse: DTrace rejects them with D_DECL_PROTO_VARARGS.
    array_key_list: $ => prec.dynamic(-1, choice(
      seq(commaSep1($.array_key), optional(seq(',', $.variadic_parameter))),
      $.variadic_parameter,
    )),

    array_key: $ => seq(
      repeat($.type_qualifier),
      field('type', $._type_specifier),
      repeat($.type_qualifier),
      optional(field('declarator', choice($._declarator, $._abstract_declarator))),
    ),

    function_declarator: $ => prec(PREC.POSTFIX, seq(
      field('declarator', $._declarator),
      field('parameters', $.parameter_list),
    )),

    parenthesized_declarator: $ => prec.dynamic(-10, seq('(', $._declarator, ')')),

    parameter_list: $ => seq('(', optional(commaSep1(choice($.parameter_declaration, $.variadic_parameter))), ')'),

    variadic_parameter: _ => '...',

    parameter_declaration: $ => seq(
      $._declaration_specifiers,
      optional(field('declarator', choice($._declarator, $._abstract_declarator))),
    ),

    // A type in a cast, `sizeof`, `offsetof`, `xlate<>` or translator.
    type_descriptor: $ => seq(
      repeat($.type_qualifier),
      field('type', $._type_specifier),
      repeat($.type_qualifier),
      optional(field('declarator', $._abstract_declarator)),
    ),

    _abstract_declarator: $ => choice(
      $.abstract_pointer_declarator,
      $.abstract_array_declarator,
      $.abstract_function_declarator,
      $.abstract_parenthesized_declarator,
    ),

    abstract_pointer_declarator: $ => prec.dynamic(1, prec.right(seq(
      '*',
      repeat($.type_qualifier),
      optional(field('declarator', $._abstract_declarator)),
    ))),

    abstract_array_declarator: $ => prec(PREC.POSTFIX, seq(
      optional(field('declarator', $._abstract_declarator)),
      '[',
      optional(field('size', choice($._assignment_operand, $.array_key_list))),
      ']',
    )),

    abstract_function_declarator: $ => prec(PREC.POSTFIX, seq(
      optional(field('declarator', $._abstract_declarator)),
      field('parameters', $.parameter_list),
    )),

    abstract_parenthesized_declarator: $ => prec(1, seq('(', $._abstract_declarator, ')')),

    _field_identifier: $ => choice(
      $.reserved_word,
      alias($.identifier, $.field_identifier),
      alias(choice(...MEMBER_KEYWORDS), $.field_identifier),
    ),

    // ------------------------------------------------------------------ control lines

    _control_line: $ => choice(
      // Never produced: marks, for the scanner, where a structured control line may stand.
      $._control_line_start,
      $.pragma_directive,
      $.error_directive,
      $.line_directive,
      $.ident_directive,
      $.preproc_include,
      $.preproc_def,
      $.preproc_function_def,
      $.preproc_undef,
      $.preproc_if,
      $.preproc_ifdef,
      $.preproc_else,
      $.preproc_endif,
      $.preproc_call,
      $.null_directive,
      $.interpreter_line,
    ),

    // `#pragma D option name[=value]`, `#pragma D depends_on provider x`, `#pragma D attributes
    // ...`, `#pragma D binding "1.0" name`, and other pragmas (which DTrace ignores).
    pragma_directive: $ => seq(
      preprocessor('pragma'),
      optional(choice(
        seq(
          alias('D', $.pragma_scope),
          optional(choice(
            // `#pragma D option`, `option a b`, `option "a"`, `option =v` parse: D_PRAGMA_MALFORM
            // and D_PRAGMA_OPTSET are the analyzer's.
            seq(
              field('directive', alias('option', $.pragma_name)),
              optional(field('option', $.option_setting)),
              repeat($._pragma_argument),
            ),
            seq(field('directive', alias($.identifier, $.pragma_name)), repeat($._pragma_argument)),
          )),
        ),
        seq(field('directive', alias($.identifier, $.pragma_name)), repeat($._pragma_argument)),
      )),
      $._line_end,
    ),

    // A `#` alone on its line: DTrace ignores it.
    null_directive: $ => seq('#', $._line_end),

    // `quiet=` (an empty value) and `=5` (no name) parse.
    option_setting: $ => choice(
      seq(
        field('name', alias($.identifier, $.option_name)),
        optional(seq(token.immediate('='), optional(field('value', $.option_value)))),
      ),
      seq('=', optional(field('value', $.option_value))),
    ),

    option_value: _ => token.immediate(/[^\s]+/),

    _pragma_argument: $ => choice(
      alias($._pragma_word, $.pragma_argument),
      $.string_literal,
    ),

    _pragma_word: _ => token(prec(-1, /[^\s"]+/)),

    error_directive: $ => seq(preprocessor('error'), optional(field('message', $.preproc_arg)), $._line_end),

    // `#line 12 "file.d"` and the `# 12 "file.d"` markers cpp writes.
    // Malformed forms parse (`#line here`, `#line 10 prog.d`, `# "file.d"`): D_PRAGMA_MALFORM
    // and D_PRAGCTL_INVAL are the analyzer's; what follows the well-formed part is a preproc_arg.
    line_directive: $ => choice(
      seq(
        choice(preprocessor('line'), '#'),
        choice(
          seq(field('line', $.integer_literal), optional(field('file', $.string_literal)), repeat($.integer_literal)),
          field('file', $.string_literal),
        ),
        optional($.preproc_arg),
        $._line_end,
      ),
      seq(preprocessor('line'), optional($.preproc_arg), $._line_end),
    ),

    ident_directive: $ => seq(preprocessor('ident'), optional(field('text', $.preproc_arg)), $._line_end),

    preproc_include: $ => seq(
      preprocessor('include'),
      field('path', choice($.string_literal, $.system_lib_string, $.identifier)),
      $._line_end,
    ),

    system_lib_string: _ => token(seq('<', repeat(choice(/[^>\n]/, '\\>')), '>')),

    preproc_def: $ => seq(
      preprocessor('define'),
      field('name', $.identifier),
      optional(field('value', $.preproc_arg)),
      $._line_end,
    ),

    preproc_function_def: $ => seq(
      preprocessor('define'),
      field('name', $.identifier),
      field('parameters', $.preproc_params),
      optional(field('value', $.preproc_arg)),
      $._line_end,
    ),

    preproc_params: $ => seq(
      token.immediate('('),
      optional(commaSep1(choice($.identifier, '...'))),
      ')',
    ),

    preproc_undef: $ => seq(preprocessor('undef'), field('name', $.identifier), $._line_end),

    preproc_if: $ => seq(
      choice(preprocessor('if'), preprocessor('elif')),
      field('condition', $.preproc_arg),
      $._line_end,
    ),

    preproc_ifdef: $ => seq(
      choice(preprocessor('ifdef'), preprocessor('ifndef'), preprocessor('elifdef'), preprocessor('elifndef')),
      field('name', $.identifier),
      $._line_end,
    ),

    preproc_else: $ => seq(preprocessor('else'), $._line_end),

    preproc_endif: $ => seq(preprocessor('endif'), $._line_end),

    // Any other `#word` line (DTrace without -C: D_PRAGCTL_INVAL).
    preproc_call: $ => seq(
      field('directive', $.preproc_directive),
      optional(field('argument', $.preproc_arg)),
      $._line_end,
    ),

    preproc_directive: _ => /#[ \t]*[a-zA-Z_]\w*/,

    // The rest of a control line, with backslash-newline continuations.
    preproc_arg: _ => token(prec(-1, /[^\s]([^\\\n]|\\\r?\n|\\[^\n])*/)),
  },
});

/**
 * A `{ ... }` statement list whose last statement may omit its `;`.
 * @param {GrammarSymbols<string>} $
 */
function statementBlock($) {
  return seq(
    '{',
    // `_statement_start` is never produced: it marks, for the scanner, where a statement starts.
    repeat(choice($._statement, $._statement_start)),
    optional(alias($._unterminated_statement, $.expression_statement)),
    '}',
  );
}

/**
 * A control-line keyword: `#` then optional blanks then the word.
 * @param {string} command
 */
function preprocessor(command) {
  return alias(new RegExp('#[ \t]*' + command), '#' + command);
}

/**
 * @param {Rule} rule
 */
function commaSep1(rule) {
  return seq(rule, repeat(seq(',', rule)));
}
