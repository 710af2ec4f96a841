# One preferred label per language; spellings go to skos:altLabel.
# focus:     <id/jenis-peraturan/perpres>
# shape:     kin-sh:CodeListConcept-prefLabel
# component: sh:UniqueLangConstraintComponent
# message:   at most one skos:prefLabel per language
INSERT DATA { <id/jenis-peraturan/perpres> skos:prefLabel "Perpres"@id }
