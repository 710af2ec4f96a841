# A program has one preferred label per language; other wordings are alternative labels.
# focus:     <id/contoh/program>
# shape:     kin-sh:Program-prefLabel
# component: sh:UniqueLangConstraintComponent
# message:   exactly one skos:prefLabel per language
INSERT DATA { <id/contoh/program> skos:prefLabel "PROGRAM PENEKAKAN DAN PELAYANAN HUKUM"@id }
