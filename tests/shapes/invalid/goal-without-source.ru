# Every goal says which source file it came from.
# focus:     <id/contoh/sasaran>
# shape:     kin-sh:StatementProvenance-wasDerivedFrom
# component: sh:MinCountConstraintComponent
# message:   exactly one prov:wasDerivedFrom
DELETE WHERE { <id/contoh/sasaran> prov:wasDerivedFrom ?source }
