# Type, issuer, year and number identify an instrument: two IRIs for one is a minting bug.
# focus:     <id/contoh/perpres>
# shape:     kin-sh:LegalResource-unique
# component: sh:SPARQLConstraintComponent
# message:   Two legal instruments share type
INSERT DATA {
  <id/contoh/perpres-lagi> a eli:LegalResource ;
      rdfs:label "Perpres Nomor 18 Tahun 2020"@id ;
      eli:type_document <id/jenis-peraturan/perpres> ;
      eli:number "18" ;
      kin:year "2020"^^xsd:gYear ;
      eli:passed_by <id/contoh/presiden> ;
      prov:wasDerivedFrom <id/contoh/sumber> ;
      kin:sourceLine 31 .
}
