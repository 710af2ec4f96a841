# A decree has its provisions (KESATU, ...) as parts.
# focus:     <id/contoh/keputusan>
# shape:     kin-sh:Decree-hasPart
# component: sh:MinCountConstraintComponent
# message:   at least one eli:has_part
DELETE WHERE { <id/contoh/keputusan> eli:has_part ?part }
