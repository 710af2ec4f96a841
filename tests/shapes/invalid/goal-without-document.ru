# A goal is stated in one document.
# focus:     <id/contoh/sasaran>
# shape:     kin-sh:Goal-inDocument
# component: sh:MinCountConstraintComponent
# message:   exactly one kin:inDocument
DELETE WHERE { <id/contoh/sasaran> kin:inDocument ?document }
