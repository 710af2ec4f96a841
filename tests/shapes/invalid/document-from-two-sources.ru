# A document is read from exactly one source file.
# focus:     <id/contoh/keputusan>
# shape:     kin-sh:PerformanceDocument-wasDerivedFrom
# component: sh:MaxCountConstraintComponent
# message:   exactly one prov:wasDerivedFrom
INSERT DATA {
  <id/contoh/keputusan> prov:wasDerivedFrom <id/contoh/sumber-lain> .
  <id/contoh/sumber-lain> a kin:SourceFile ;
      rdfs:label "berkas lain"@id ;
      kin:sha256 "22fb8f54026773b6ac7b29b25f2f49c33c85d213c66dbb179dc5e10a81172535" .
}
