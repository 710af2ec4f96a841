# IC-12: no two observations with the same indicator, office and year.
# focus:     <id/contoh/target>
# shape:     kin-sh:IC-12-noDuplicateObservations
# component: sh:SPARQLConstraintComponent
# message:   Data Cube IC-12
INSERT DATA {
  <id/contoh/target-kembar> a kin:Target , qb:Observation ;
      rdfs:label "Target 2024 kembar"@id ;
      qb:dataSet <id/dataset/target> ;
      kin:indicator <id/contoh/indikator> ;
      kin:office <id/contoh/kanwil> ;
      kin:year "2024"^^xsd:gYear ;
      kin:targetValue 100.0 ;
      kin:unit <id/satuan/persen> ;
      kin:targetText "100 %" ;
      prov:wasDerivedFrom <id/contoh/sumber> ;
      kin:sourceLine 97 .
}
