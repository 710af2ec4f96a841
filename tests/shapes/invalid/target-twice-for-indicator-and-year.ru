# One target per indicator and year, even when a second office claims it.
# (A different office keeps the two observations distinct for IC-12.)
# focus:     <id/contoh/target>
# shape:     kin-sh:Target-onePerIndicatorAndYear
# component: sh:SPARQLConstraintComponent
# message:   Only one target may exist per indicator and year
INSERT DATA {
  <id/contoh/kanwil-2> a org:OrganizationalUnit ;
      rdfs:label "Kantor Wilayah Kepulauan Bangka Belitung"@id ;
      org:unitOf <id/contoh/kementerian> ;
      kin:province <id/provinsi/kepulauan-bangka-belitung> .
  <id/contoh/target-2> a kin:Target , qb:Observation ;
      rdfs:label "Target 2024 kedua"@id ;
      qb:dataSet <id/dataset/target> ;
      kin:indicator <id/contoh/indikator> ;
      kin:office <id/contoh/kanwil-2> ;
      kin:year "2024"^^xsd:gYear ;
      kin:targetValue 90.0 ;
      kin:unit <id/satuan/persen> ;
      kin:targetText "90 %" ;
      prov:wasDerivedFrom <id/contoh/sumber> ;
      kin:sourceLine 98 .
}
