# A cited instrument says which source file cites it.
# focus:     <id/contoh/perpres>
# shape:     kin-sh:LegalResource-wasDerivedFrom
# component: sh:MinCountConstraintComponent
# message:   at least one prov:wasDerivedFrom
DELETE WHERE { <id/contoh/perpres> prov:wasDerivedFrom ?source }
