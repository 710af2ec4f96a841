# An indicator measures one goal.
# focus:     <id/contoh/indikator>
# shape:     kin-sh:Indicator-goal
# component: sh:MinCountConstraintComponent
# message:   exactly one kin:goal
DELETE WHERE { <id/contoh/indikator> kin:goal ?goal }
