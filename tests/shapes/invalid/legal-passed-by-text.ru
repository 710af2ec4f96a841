# The issuing authority is an organisation resource, not its name.
# focus:     <id/contoh/perpres>
# shape:     kin-sh:LegalResource-passedBy
# component: sh:NodeKindConstraintComponent
# message:   exactly one eli:passed_by
DELETE WHERE { <id/contoh/perpres> eli:passed_by ?issuer } ;
INSERT DATA { <id/contoh/perpres> eli:passed_by "Presiden" }
