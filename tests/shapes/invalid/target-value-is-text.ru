# The value is an xsd:decimal; the text as printed goes to kin:targetText.
# focus:     <id/contoh/target>
# shape:     kin-sh:Target-targetValue
# component: sh:DatatypeConstraintComponent
# message:   an xsd:decimal such as 88.0
DELETE WHERE { <id/contoh/target> kin:targetValue ?value } ;
INSERT DATA { <id/contoh/target> kin:targetValue "100 %" }
