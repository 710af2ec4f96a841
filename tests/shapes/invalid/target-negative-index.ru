# An index score cannot be negative.
# focus:     <id/contoh/target>
# shape:     kin-sh:Target-nonNegative
# component: sh:SPARQLConstraintComponent
# message:   cannot be negative, but its kin:targetValue is -3.1
DELETE WHERE { <id/contoh/target> kin:targetValue ?value ; kin:unit ?unit } ;
INSERT DATA { <id/contoh/target> kin:targetValue "-3.1"^^xsd:decimal ; kin:unit <id/satuan/indeks> }
