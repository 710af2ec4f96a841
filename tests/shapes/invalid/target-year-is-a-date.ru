# The year of a target is an xsd:gYear, not a date.
# focus:     <id/contoh/target>
# shape:     kin-sh:Target-year
# component: sh:DatatypeConstraintComponent
# message:   exactly one kin:year, an xsd:gYear
DELETE WHERE { <id/contoh/target> kin:year ?year } ;
INSERT DATA { <id/contoh/target> kin:year "2024-01-01"^^xsd:date }
