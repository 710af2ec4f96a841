# IC-11: every dimension of the structure has a value (here kin:office is missing).
# focus:     <id/contoh/target>
# shape:     kin-sh:IC-11-allDimensionsRequired
# component: sh:SPARQLConstraintComponent
# message:   no value for the dimension https://w3id.org/kinerja/def#office
DELETE WHERE { <id/contoh/target> kin:office ?office }
