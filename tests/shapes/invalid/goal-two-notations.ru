# A goal has one number as printed.
# focus:     <id/contoh/sasaran>
# shape:     kin-sh:Goal-notation
# component: sh:MaxCountConstraintComponent
# message:   exactly one skos:notation
INSERT DATA { <id/contoh/sasaran> skos:notation "1a" }
