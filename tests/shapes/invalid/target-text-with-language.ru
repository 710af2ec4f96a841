# The target text is a plain string as printed (xsd:string), not a language-tagged label.
# focus:     <id/contoh/target>
# shape:     kin-sh:Target-targetText
# component: sh:DatatypeConstraintComponent
# message:   exactly one kin:targetText
DELETE WHERE { <id/contoh/target> kin:targetText ?text } ;
INSERT DATA { <id/contoh/target> kin:targetText "100 %"@id }
