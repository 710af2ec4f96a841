# Every target says which line it came from.
# focus:     <id/contoh/target>
# shape:     kin-sh:StatementProvenance-sourceLine
# component: sh:MinCountConstraintComponent
# message:   exactly one kin:sourceLine
DELETE WHERE { <id/contoh/target> kin:sourceLine ?line }
