# Ministerial numbers are unique only per ministry: the same type, year and number from
# another issuer is another instrument.
INSERT DATA {
  <id/contoh/permen-lain> a eli:LegalResource ;
      rdfs:label "Peraturan Menteri Hukum dan HAM Nomor PER/9/M.PAN/5/2007"@id ;
      eli:type_document <id/jenis-peraturan/permen> ;
      eli:number "PER/9/M.PAN/5/2007" ;
      kin:year "2007"^^xsd:gYear ;
      eli:passed_by <id/contoh/kementerian> ;
      prov:wasDerivedFrom <id/contoh/sumber> ;
      kin:sourceLine 23 .
}
