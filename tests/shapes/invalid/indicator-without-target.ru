# Every indicator has exactly one target.
# focus:     <id/contoh/indikator>
# shape:     kin-sh:Indicator-target
# component: sh:MinCountConstraintComponent
# message:   exactly one kin:Target that points to it
DELETE WHERE { <id/contoh/target> ?p ?o }
