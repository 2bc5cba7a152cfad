; Folding ranges for D, the DTrace language. Editors fold only nodes that span several lines,
; so a one-line comment or body is left alone.

[
  (clause_body)
  (compound_statement)
  (field_declaration_list)
  (enumerator_list)
  (translator_definition)
  (provider_definition)
  (switch_statement)
  (comment)
] @fold
