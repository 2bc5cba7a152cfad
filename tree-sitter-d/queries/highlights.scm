; Syntax highlighting for D, the DTrace language.
;
; Precedence: when several patterns capture the same node, the LAST one wins (the rule of the
; tree-sitter CLI since 0.22 and of Neovim), so general patterns come first and specific ones
; after them. The capture scheme is documented in README.md ("Highlighting").

; ---------------------------------------------------------------------------- fallbacks

(identifier) @variable

((identifier) @constant
  (#match? @constant "^[A-Z][A-Z0-9_]*$"))

(type_identifier) @type

[
  "("
  ")"
  "["
  "]"
  "{"
  "}"
] @punctuation.bracket

[
  ","
  ";"
  ":"
] @punctuation.delimiter

; ---------------------------------------------------------------------------- comments

(comment) @comment

(interpreter_line) @keyword.directive

; ---------------------------------------------------------------------------- probe clauses

; The four fields of `provider:module:function:name` each get their own capture.
(probe_description
  provider: (probe_field) @module)

(probe_description
  module: (probe_field) @namespace)

(probe_description
  function: (probe_field) @function)

(probe_description
  name: (probe_field) @label)

(probe_description
  id: (probe_id) @number)

(probe_description
  ":" @punctuation.delimiter)

(probe_description_list
  "," @punctuation.delimiter)

; The slashes around a predicate, not division.
(predicate
  "/" @punctuation.special)

; ---------------------------------------------------------------------------- control lines

[
  "#pragma"
  "#error"
  "#line"
  "#ident"
  "#include"
  "#define"
  "#undef"
  "#if"
  "#elif"
  "#ifdef"
  "#ifndef"
  "#elifdef"
  "#elifndef"
  "#else"
  "#endif"
] @keyword.directive

(line_directive
  "#" @keyword.directive)

(preproc_directive) @keyword.directive

(pragma_scope) @keyword.directive

(pragma_name) @keyword.directive

(option_setting
  name: (option_name) @property)

(option_setting
  "=" @operator)

(option_setting
  value: (option_value) @string.special)

(pragma_argument) @string.special

(error_directive
  message: (preproc_arg) @string)

(ident_directive
  text: (preproc_arg) @string)

(system_lib_string) @string

(preproc_def
  name: (identifier) @constant.macro)

(preproc_function_def
  name: (identifier) @function.macro)

(preproc_params
  (identifier) @variable.parameter)

(preproc_params
  "..." @punctuation.special)

(preproc_undef
  name: (identifier) @constant.macro)

(preproc_ifdef
  name: (identifier) @constant.macro)

; ---------------------------------------------------------------------------- keywords

[
  "if"
  "else"
] @keyword.conditional

; Reserved words with no meaning in D (the language server reports them). They keep the
; captures they have in C so that they stand out as control flow.
[
  "switch"
  "case"
  "default"
] @keyword.conditional

[
  "for"
  "while"
  "do"
  "break"
  "continue"
] @keyword.repeat

"return" @keyword.return

"goto" @keyword

[
  "typedef"
  "struct"
  "union"
  "enum"
] @keyword.type

[
  "inline"
  "translator"
  "provider"
  "probe"
] @keyword

(storage_class_specifier) @keyword.modifier

(type_qualifier) @keyword.modifier

[
  "sizeof"
  "stringof"
  "offsetof"
  "xlate"
] @keyword.operator

; ---------------------------------------------------------------------------- types

(primitive_type) @type.builtin

(sized_type_specifier
  [
    "signed"
    "unsigned"
    "long"
    "short"
  ] @type.builtin)

; The typedefs every D program sees (reference section 1.10).
((type_identifier) @type.builtin
  (#any-of? @type.builtin
    "int8_t" "int16_t" "int32_t" "int64_t" "uint8_t" "uint16_t" "uint32_t" "uint64_t"
    "intptr_t" "uintptr_t" "size_t" "ssize_t" "ptrdiff_t" "uchar_t" "ushort_t" "uint_t"
    "ulong_t" "u_longlong_t" "id_t" "pid_t"))

(type_definition
  declarator: (identifier) @type.definition)

(type_definition
  declarator: (_
    declarator: (identifier) @type.definition))

(type_definition
  declarator: (function_declarator
    declarator: (parenthesized_declarator
      (pointer_declarator
        declarator: (identifier) @type.definition))))

; ---------------------------------------------------------------------------- variables

; `self->x`: a thread-local variable; `this->x`: a clause-local variable.
(thread_local_variable
  "self" @variable.builtin)

(clause_local_variable
  "this" @variable.builtin)

(thread_local_variable
  "->" @operator)

(clause_local_variable
  "->" @operator)

(thread_local_variable
  name: (field_identifier) @variable.member)

(clause_local_variable
  name: (field_identifier) @variable.member)

; `@name[keys]`, and the anonymous `@`.
(aggregation) @attribute

; `$1`, `$$1`, `$target`.
(macro_variable) @constant.macro

((identifier) @constant.builtin
  (#eq? @constant.builtin "NULL"))

((identifier) @constant.builtin
  (#match? @constant.builtin "^DTRACEFLT_[A-Z_]+$"))

(call_expression
  function: (identifier) @function.call)

; Subroutines, actions and aggregating functions (reference sections 4 and 5).
(call_expression
  function: (identifier) @function.builtin
  (#any-of? @function.builtin
    ; subroutines
    "alloca" "basename" "bcopy" "cleanpath" "copyin" "copyinstr" "copyinto" "copyout"
    "copyoutstr" "ddi_pathname" "dirname" "getf" "getmajor" "getminor" "htonl" "htonll"
    "htons" "index" "inet_ntoa" "inet_ntoa6" "inet_ntop" "json" "lltostr" "memref" "memstr"
    "msgdsize" "msgsize" "mutex_owned" "mutex_owner" "mutex_type_adaptive" "mutex_type_spin"
    "ntohl" "ntohll" "ntohs" "progenyof" "rand" "rindex" "rw_iswriter" "rw_read_held"
    "rw_write_held" "speculation" "strchr" "strjoin" "strlen" "strrchr" "strstr" "strtok"
    "strtoll" "substr" "sx_exclusive_held" "sx_isexclusive" "sx_shared_held" "tolower"
    "toupper" "typeref"
    ; actions
    "breakpoint" "chill" "clear" "commit" "denormalize" "discard" "exit" "freopen"
    "ftruncate" "func" "jstack" "mod" "normalize" "panic" "print" "printa" "printf" "printm"
    "printt" "raise" "setopt" "speculate" "stack" "stop" "sym" "system" "trace" "tracemem"
    "trunc" "uaddr" "ufunc" "umod" "ustack" "usym"
    ; aggregating functions
    "avg" "count" "llquantize" "lquantize" "max" "min" "quantize" "stddev" "sum"))

; Built-in variables (reference section 3), including the library-defined ones.
((identifier) @variable.builtin
  (#any-of? @variable.builtin
    "args" "regs" "uregs" "curthread" "timestamp" "vtimestamp" "ipl" "epid" "id"
    "arg0" "arg1" "arg2" "arg3" "arg4" "arg5" "arg6" "arg7" "arg8" "arg9"
    "stackdepth" "caller" "probeprov" "probemod" "probefunc" "probename" "pid" "tid"
    "execname" "zonename" "walltimestamp" "ustackdepth" "ucaller" "ppid" "uid" "gid" "errno"
    "execargs" "jid" "jailname" "cpu" "curpsinfo" "curlwpsinfo" "curcpu" "pset" "chip" "lgrp"
    "fds" "machtimestamp" "cpucycles" "cpuinstrs" "vcycles" "vinstrs" "dispatchaddr"
    ; `self` and `this` alone (an error DTrace reports after parsing)
    "self" "this"))

; Kernel symbols: `` `max_ncpus``, `` genunix`kmem_flags``.
((identifier) @variable.builtin
  (#match? @variable.builtin "`"))

; ---------------------------------------------------------------------------- definitions

(inline_definition
  declarator: (identifier) @constant)

(inline_definition
  declarator: (pointer_declarator
    declarator: (identifier) @constant))

; `inline string f[int x] = ...`: an inline with parameters.
(inline_definition
  declarator: (array_declarator
    declarator: (identifier) @function.macro))

(array_key
  declarator: (identifier) @variable.parameter)

(parameter_declaration
  declarator: (identifier) @variable.parameter)

(parameter_declaration
  declarator: (pointer_declarator
    declarator: (identifier) @variable.parameter))

(translator_member
  member: (field_identifier) @variable.member)

(provider_definition
  name: (identifier) @module)

(probe_declaration
  name: (identifier) @label)

(enumerator
  name: (identifier) @constant)

(field_declaration
  declarator: (identifier) @variable.member)

(field_declaration
  declarator: (_
    declarator: (identifier) @variable.member))

(bitfield_declarator
  declarator: (identifier) @variable.member)

(field_expression
  field: (field_identifier) @variable.member)

(offsetof_expression
  member: (field_identifier) @variable.member)

(goto_statement
  label: (identifier) @label)

; ---------------------------------------------------------------------------- literals

(string_literal) @string

(escape_sequence) @string.escape

(char_literal) @character

(integer_literal) @number

(float_literal) @number.float

; ---------------------------------------------------------------------------- operators

(binary_expression
  operator: _ @operator)

(assignment_expression
  operator: _ @operator)

(unary_expression
  operator: _ @operator)

(pointer_expression
  operator: _ @operator)

(update_expression
  operator: _ @operator)

(field_expression
  operator: "->" @operator)

(field_expression
  operator: "." @punctuation.delimiter)

(conditional_expression
  [
    "?"
    ":"
  ] @keyword.conditional.ternary)

(pointer_declarator
  "*" @operator)

(abstract_pointer_declarator
  "*" @operator)

(inline_definition
  "=" @operator)

(translator_member
  "=" @operator)

(enumerator
  "=" @operator)

(xlate_expression
  [
    "<"
    ">"
  ] @punctuation.bracket)

(translator_definition
  [
    "<"
    ">"
  ] @punctuation.bracket)

(variadic_parameter) @punctuation.special
