; Code-navigation tags for D, the DTrace language.
;
; A clause is tagged once per probe description, named by that description's text
; (`syscall::read:entry`, `BEGIN`). See README.md ("Tags") for the kinds.

(probe_clause
  descriptions: (probe_description_list
    (probe_description) @name)) @definition.function

; `inline int N = ...;` is a named constant; `inline string f[int x] = ...;` takes parameters.
(inline_definition
  declarator: (identifier) @name) @definition.constant

(inline_definition
  declarator: (pointer_declarator
    declarator: (identifier) @name)) @definition.constant

(inline_definition
  declarator: (array_declarator
    declarator: (identifier) @name)) @definition.macro

; A translator is named by its output type.
(translator_definition
  output: (type_descriptor) @name) @definition.class

(type_definition
  declarator: (identifier) @name) @definition.type

(type_definition
  declarator: (_
    declarator: (identifier) @name)) @definition.type

; `struct s { ... };`, also inside a typedef: `typedef struct s { ... } s_t;`
([
  (declaration
    type: (struct_specifier
      name: (type_identifier) @name
      body: (field_declaration_list)))
  (type_definition
    type: (struct_specifier
      name: (type_identifier) @name
      body: (field_declaration_list)))
  (declaration
    type: (union_specifier
      name: (type_identifier) @name
      body: (field_declaration_list)))
  (type_definition
    type: (union_specifier
      name: (type_identifier) @name
      body: (field_declaration_list)))
  (declaration
    type: (enum_specifier
      name: (type_identifier) @name
      body: (enumerator_list)))
  (type_definition
    type: (enum_specifier
      name: (type_identifier) @name
      body: (enumerator_list)))
] @definition.type)

(provider_definition
  name: (identifier) @name) @definition.module

(probe_declaration
  name: (identifier) @name) @definition.function

; Macros of the C preprocessor (`dtrace -C`).
(preproc_def
  name: (identifier) @name) @definition.macro

(preproc_function_def
  name: (identifier) @name) @definition.macro

; Calls of subroutines, actions and aggregating functions.
(call_expression
  function: (identifier) @name) @reference.call
