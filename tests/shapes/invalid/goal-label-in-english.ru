# Instance data is labelled in Indonesian only.
# focus:     <id/contoh/sasaran>
# shape:     kin-sh:IndonesianLabel-label
# component: sh:LanguageInConstraintComponent
# message:   every rdfs:label must be tagged @id
INSERT DATA { <id/contoh/sasaran> rdfs:label "Improved quality of correctional services"@en }
