# The comparator is one of kin:Exactly, kin:AtLeast, kin:AtMost.
# focus:     <id/contoh/target>
# shape:     kin-sh:Target-comparator
# component: sh:ClassConstraintComponent
# message:   at most one kin:comparator
DELETE WHERE { <id/contoh/target> kin:comparator ?comparator } ;
INSERT DATA { <id/contoh/target> kin:comparator kin:Percentage }
