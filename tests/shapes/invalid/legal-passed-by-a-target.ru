# The issuing authority is an organisation, office or ministry.
# focus:     <id/contoh/perpres>
# shape:     kin-sh:LegalResource-passedBy
# component: sh:OrConstraintComponent
# message:   the issuing authority
DELETE WHERE { <id/contoh/perpres> eli:passed_by ?issuer } ;
INSERT DATA { <id/contoh/perpres> eli:passed_by <id/contoh/target> }
