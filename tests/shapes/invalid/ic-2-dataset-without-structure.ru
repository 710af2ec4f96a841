# IC-2: every data set has exactly one structure.
# focus:     <id/dataset/target>
# shape:     kin-sh:IC-2-uniqueDsd
# component: sh:MinCountConstraintComponent
# message:   Data Cube IC-2
DELETE WHERE { <id/dataset/target> qb:structure ?structure }
