# A title, when given, is Indonesian text tagged @id.
# focus:     <id/contoh/perpres>
# shape:     kin-sh:LegalResource-title
# component: sh:LanguageInConstraintComponent
# message:   must be Indonesian text tagged @id
DELETE WHERE { <id/contoh/perpres> eli:title ?title } ;
INSERT DATA { <id/contoh/perpres> eli:title "Rencana Pembangunan Jangka Menengah Nasional" }
