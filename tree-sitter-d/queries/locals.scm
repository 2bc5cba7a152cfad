; Scopes, definitions and references for D, the DTrace language.
;
; Capture names are the ones tree-sitter's highlighter understands (`@local.scope`,
; `@local.definition`, `@local.reference`). Top-level declarations live in the file's scope;
; a clause body is a scope of its own, and so is a translator (its input parameter is visible
; only to its members). Struct members and prototype parameters are definitions of their own
; small scopes, so that they are never taken for references to a global of the same name.

; ---------------------------------------------------------------------------- scopes

(clause_body) @local.scope

(compound_statement) @local.scope

(translator_definition) @local.scope

(field_declaration_list) @local.scope

(parameter_list) @local.scope

; ---------------------------------------------------------------------------- definitions

; Declarations: `int x;`, `self int *p;`, `int a[string, int];`
(declaration
  declarator: (identifier) @local.definition)

(declaration
  declarator: (pointer_declarator
    declarator: (identifier) @local.definition))

(declaration
  declarator: (array_declarator
    declarator: (identifier) @local.definition))

(declaration
  declarator: (pointer_declarator
    declarator: (pointer_declarator
      declarator: (identifier) @local.definition)))

; Inline definitions: `inline int N = 1;`, `inline string f[int x] = ...;`
(inline_definition
  declarator: (identifier) @local.definition)

(inline_definition
  declarator: (pointer_declarator
    declarator: (identifier) @local.definition))

(inline_definition
  declarator: (array_declarator
    declarator: (identifier) @local.definition))

; Typedefs: `typedef struct foo foo_t;`
(type_definition
  declarator: (identifier) @local.definition)

(type_definition
  declarator: (_
    declarator: (identifier) @local.definition))

; Enumerators are constants of the enclosing scope.
(enumerator
  name: (identifier) @local.definition)

; A translator's input: `translator out_t < struct in *P > { ... };`
(translator_definition
  input: (parameter_declaration
    declarator: (identifier) @local.definition))

(translator_definition
  input: (parameter_declaration
    declarator: (pointer_declarator
      declarator: (identifier) @local.definition)))

; Struct and union members: `struct s { int a; char *b; };`
(field_declaration
  declarator: (identifier) @local.definition)

(field_declaration
  declarator: (_
    declarator: (identifier) @local.definition))

(bitfield_declarator
  declarator: (identifier) @local.definition)

; Prototype parameters: `probe p(int id, char *name);`
(parameter_declaration
  declarator: (identifier) @local.definition)

(parameter_declaration
  declarator: (pointer_declarator
    declarator: (identifier) @local.definition))

; ---------------------------------------------------------------------------- references

(identifier) @local.reference
