# The province of an office comes from the province code list.
# focus:     <id/contoh/kanwil>
# shape:     kin-sh:OrganizationalUnit-province
# component: sh:ClassConstraintComponent
# message:   a kin:Province from the province code list
DELETE WHERE { <id/contoh/kanwil> kin:province ?province } ;
INSERT DATA { <id/contoh/kanwil> kin:province <id/jenis-dokumen/ikk> }
