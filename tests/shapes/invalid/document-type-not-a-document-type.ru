# The document type must come from the document-type code list: a unit is not one.
# focus:     <id/contoh/keputusan>
# shape:     kin-sh:PerformanceDocument-documentType
# component: sh:ClassConstraintComponent
# message:   exactly one kin:documentType
DELETE WHERE { <id/contoh/keputusan> kin:documentType ?type } ;
INSERT DATA { <id/contoh/keputusan> kin:documentType <id/satuan/persen> }
