# Every indicator points to its cross-document concept.
# focus:     <id/contoh/indikator>
# shape:     kin-sh:Indicator-concept
# component: sh:MinCountConstraintComponent
# message:   exactly one kin:concept
DELETE WHERE { <id/contoh/indikator> kin:concept ?concept }
