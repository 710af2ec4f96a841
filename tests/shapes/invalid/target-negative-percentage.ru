# A percentage cannot be negative.
# focus:     <id/contoh/target>
# shape:     kin-sh:Target-nonNegative
# component: sh:SPARQLConstraintComponent
# message:   cannot be negative, but its kin:targetValue is -5.0
DELETE WHERE { <id/contoh/target> kin:targetValue ?value } ;
INSERT DATA { <id/contoh/target> kin:targetValue "-5.0"^^xsd:decimal }
