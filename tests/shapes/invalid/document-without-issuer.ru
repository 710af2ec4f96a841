# A document says which office issued it.
# focus:     <id/contoh/keputusan>
# shape:     kin-sh:PerformanceDocument-issuedBy
# component: sh:MinCountConstraintComponent
# message:   exactly one kin:issuedBy
DELETE WHERE { <id/contoh/keputusan> kin:issuedBy ?office }
