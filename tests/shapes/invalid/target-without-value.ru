# A target has a numeric value.
# focus:     <id/contoh/target>
# shape:     kin-sh:Target-targetValue
# component: sh:MinCountConstraintComponent
# message:   exactly one kin:targetValue, an xsd:decimal such as 88.0
DELETE WHERE { <id/contoh/target> kin:targetValue ?value }
