# eli:based_on points to a legal instrument or article, not to text.
# focus:     <id/contoh/keputusan>
# shape:     kin-sh:Decree-basedOn
# component: sh:OrConstraintComponent
# message:   each an eli:LegalResource or eli:LegalResourceSubdivision
INSERT DATA { <id/contoh/keputusan> eli:based_on <id/contoh/target> }
