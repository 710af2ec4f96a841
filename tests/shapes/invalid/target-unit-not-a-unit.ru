# The unit comes from the unit code list: a document type is not a unit.
# focus:     <id/contoh/target>
# shape:     kin-sh:Target-unit
# component: sh:ClassConstraintComponent
# message:   a kin:Unit from the unit code list
DELETE WHERE { <id/contoh/target> kin:unit ?unit } ;
INSERT DATA { <id/contoh/target> kin:unit <id/jenis-dokumen/ikk> }
