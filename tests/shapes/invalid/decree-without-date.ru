# A decree carries the date it was signed.
# focus:     <id/contoh/keputusan>
# shape:     kin-sh:Decree-dateDocument
# component: sh:MinCountConstraintComponent
# message:   exactly one eli:date_document
DELETE WHERE { <id/contoh/keputusan> eli:date_document ?date }
