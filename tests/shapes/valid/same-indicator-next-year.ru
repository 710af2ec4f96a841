# The same indicator concept in next year's document: a new indicator, a new target.
INSERT DATA {
  <id/contoh/indikator-2025> a kin:Indicator ;
      rdfs:label "Persentase narapidana yang mendapatkan hak remisi"@id ;
      skos:notation "2" ;
      kin:goal <id/contoh/sasaran> ;
      kin:concept <id/contoh/konsep> ;
      prov:wasDerivedFrom <id/contoh/sumber> ;
      kin:sourceLine 99 .
  <id/contoh/target-2025> a kin:Target , qb:Observation ;
      rdfs:label "Target 2025: Persentase narapidana yang mendapatkan hak remisi: 100 %"@id ;
      qb:dataSet <id/dataset/target> ;
      kin:indicator <id/contoh/indikator-2025> ;
      kin:office <id/contoh/kanwil> ;
      kin:year "2025"^^xsd:gYear ;
      kin:targetValue 100.0 ;
      kin:unit <id/satuan/persen> ;
      kin:targetText "100 %" ;
      prov:wasDerivedFrom <id/contoh/sumber> ;
      kin:sourceLine 99 .
}
