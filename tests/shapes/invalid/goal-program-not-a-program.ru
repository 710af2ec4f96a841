# kin:program points to a kin:Program, not to an indicator concept.
# focus:     <id/contoh/sasaran>
# shape:     kin-sh:Goal-program
# component: sh:ClassConstraintComponent
# message:   it must be a kin:Program
DELETE WHERE { <id/contoh/sasaran> kin:program ?program } ;
INSERT DATA { <id/contoh/sasaran> kin:program <id/contoh/konsep> }
