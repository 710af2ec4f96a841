# A code-list concept has one code.
# focus:     <id/satuan/persen>
# shape:     kin-sh:CodeListConcept-notation
# component: sh:MaxCountConstraintComponent
# message:   exactly one skos:notation
INSERT DATA { <id/satuan/persen> skos:notation "%" }
