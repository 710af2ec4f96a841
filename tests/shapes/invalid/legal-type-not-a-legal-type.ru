# The type of a legal instrument comes from the legal-type code list.
# focus:     <id/contoh/perpres>
# shape:     kin-sh:LegalResource-typeDocument
# component: sh:ClassConstraintComponent
# message:   a kin:LegalType from the legal-type code list
DELETE WHERE { <id/contoh/perpres> eli:type_document ?type } ;
INSERT DATA { <id/contoh/perpres> eli:type_document <id/jenis-dokumen/iku> }
