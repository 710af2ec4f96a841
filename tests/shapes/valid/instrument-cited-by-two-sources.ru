# An instrument cited in two source files has two sources and two lines.
INSERT DATA {
  <id/contoh/sumber-lain> a kin:SourceFile ;
      rdfs:label "berkas lain"@id ;
      kin:sha256 "22fb8f54026773b6ac7b29b25f2f49c33c85d213c66dbb179dc5e10a81172535" .
  <id/contoh/perpres> prov:wasDerivedFrom <id/contoh/sumber-lain> ; kin:sourceLine 41 .
}
