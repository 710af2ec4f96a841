# A target has one value.
# focus:     <id/contoh/target>
# shape:     kin-sh:Target-targetValue
# component: sh:MaxCountConstraintComponent
# message:   exactly one kin:targetValue
INSERT DATA { <id/contoh/target> kin:targetValue 95.0 }
