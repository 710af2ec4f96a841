# Source lines are xsd:integer.
# focus:     <id/contoh/perpres>
# shape:     kin-sh:LegalResource-sourceLine
# component: sh:DatatypeConstraintComponent
# message:   at least one kin:sourceLine
DELETE WHERE { <id/contoh/perpres> kin:sourceLine ?line } ;
INSERT DATA { <id/contoh/perpres> kin:sourceLine "30" }
