# IC-1: every observation belongs to exactly one data set.
# focus:     <id/contoh/observasi>
# shape:     kin-sh:IC-1-uniqueDataSet
# component: sh:MinCountConstraintComponent
# message:   Data Cube IC-1
INSERT DATA { <id/contoh/observasi> a qb:Observation ; kin:targetValue 1.0 }
