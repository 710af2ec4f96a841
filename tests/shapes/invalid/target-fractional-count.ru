# A count (here: persons) is a whole number.
# focus:     <id/contoh/target>
# shape:     kin-sh:Target-wholeCount
# component: sh:SPARQLConstraintComponent
# message:   must be a whole number, but it is 2.5
DELETE WHERE { <id/contoh/target> kin:targetValue ?value ; kin:unit ?unit } ;
INSERT DATA { <id/contoh/target> kin:targetValue 2.5 ; kin:unit <id/satuan/orang> }
