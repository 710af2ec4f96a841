# An article belongs to its instrument.
# focus:     <id/contoh/permen/pasal-3>
# shape:     kin-sh:LegalResourceSubdivision-isPartOf
# component: sh:MinCountConstraintComponent
# message:   exactly one eli:is_part_of
DELETE WHERE { <id/contoh/permen/pasal-3> eli:is_part_of ?instrument }
