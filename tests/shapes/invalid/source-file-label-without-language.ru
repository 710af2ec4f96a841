# A source file is labelled with its file name, tagged @id like every label.
# focus:     <id/contoh/sumber>
# shape:     kin-sh:IndonesianLabel-label
# component: sh:LanguageInConstraintComponent
# message:   every rdfs:label must be tagged @id
DELETE WHERE { <id/contoh/sumber> rdfs:label ?label } ;
INSERT DATA { <id/contoh/sumber> rdfs:label "002_9c54d10a95a91ac4.txt" }
