# Labels are Indonesian and tagged @id.
# focus:     <id/contoh/target>
# shape:     kin-sh:IndonesianLabel-label
# component: sh:LanguageInConstraintComponent
# message:   every rdfs:label must be tagged @id
DELETE WHERE { <id/contoh/target> rdfs:label ?label } ;
INSERT DATA { <id/contoh/target> rdfs:label "Target 2024: 100 %" }
