# The decree itself is a legal instrument and needs its number too.
# focus:     <id/contoh/keputusan>
# shape:     kin-sh:LegalResource-number
# component: sh:MinCountConstraintComponent
# message:   exactly one eli:number
DELETE WHERE { <id/contoh/keputusan> eli:number ?number }
