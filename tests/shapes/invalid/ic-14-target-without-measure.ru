# IC-14: every observation has a value for the measure kin:targetValue.
# focus:     <id/contoh/target>
# shape:     kin-sh:IC-14-allMeasuresPresent
# component: sh:SPARQLConstraintComponent
# message:   no value for the measure https://w3id.org/kinerja/def#targetValue
DELETE WHERE { <id/contoh/target> kin:targetValue ?value }
