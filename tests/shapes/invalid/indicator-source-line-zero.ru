# Source lines count from 1.
# focus:     <id/contoh/indikator>
# shape:     kin-sh:StatementProvenance-sourceLine
# component: sh:MinInclusiveConstraintComponent
# message:   an xsd:integer of 1 or more
DELETE WHERE { <id/contoh/indikator> kin:sourceLine ?line } ;
INSERT DATA { <id/contoh/indikator> kin:sourceLine 0 }
