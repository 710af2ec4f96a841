# kin:indicator points to a kin:Indicator, not to its goal.
# focus:     <id/contoh/target>
# shape:     kin-sh:Target-indicator
# component: sh:ClassConstraintComponent
# message:   exactly one kin:indicator
DELETE WHERE { <id/contoh/target> kin:indicator ?indicator } ;
INSERT DATA { <id/contoh/target> kin:indicator <id/contoh/sasaran> }
