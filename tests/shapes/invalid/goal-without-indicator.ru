# Every goal has at least one indicator.
# focus:     <id/contoh/sasaran-kosong>
# shape:     kin-sh:Goal-indicator
# component: sh:MinCountConstraintComponent
# message:   at least one kin:Indicator that points to it
INSERT DATA {
  <id/contoh/sasaran-kosong> a kin:Goal ;
      rdfs:label "Sasaran tanpa indikator"@id ;
      skos:notation "2" ;
      kin:inDocument <id/contoh/keputusan> ;
      prov:wasDerivedFrom <id/contoh/sumber> ;
      kin:sourceLine 120 .
}
