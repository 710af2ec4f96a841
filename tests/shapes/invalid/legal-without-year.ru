# Every legal instrument has its year.
# focus:     <id/contoh/permen>
# shape:     kin-sh:LegalResource-year
# component: sh:MinCountConstraintComponent
# message:   exactly one kin:year
DELETE WHERE { <id/contoh/permen> kin:year ?year }
