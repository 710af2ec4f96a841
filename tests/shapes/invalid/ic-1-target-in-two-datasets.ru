# IC-1: not in two.
# focus:     <id/contoh/target>
# shape:     kin-sh:IC-1-uniqueDataSet
# component: sh:MaxCountConstraintComponent
# message:   Data Cube IC-1
INSERT DATA {
  <id/contoh/dataset-lain> a qb:DataSet ; qb:structure kin:targetStructure .
  <id/contoh/target> qb:dataSet <id/contoh/dataset-lain> .
}
