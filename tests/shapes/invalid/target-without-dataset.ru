# A target belongs to the target data set.
# focus:     <id/contoh/target>
# shape:     kin-sh:Target-dataSet
# component: sh:MinCountConstraintComponent
# message:   exactly one qb:dataSet
DELETE WHERE { <id/contoh/target> qb:dataSet ?dataSet }
