# A count cannot be negative.
# focus:     <id/contoh/target>
# shape:     kin-sh:Target-nonNegative
# component: sh:SPARQLConstraintComponent
# message:   cannot be negative, but its kin:targetValue is -2.0
DELETE WHERE { <id/contoh/target> kin:targetValue ?value ; kin:unit ?unit } ;
INSERT DATA { <id/contoh/target> kin:targetValue "-2.0"^^xsd:decimal ; kin:unit <id/satuan/upt> }
