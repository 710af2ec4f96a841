# The year of a document is an xsd:gYear, not a plain string.
# focus:     <id/contoh/keputusan>
# shape:     kin-sh:PerformanceDocument-year
# component: sh:DatatypeConstraintComponent
# message:   an xsd:gYear such as "2024"^^xsd:gYear
DELETE WHERE { <id/contoh/keputusan> kin:year ?year } ;
INSERT DATA { <id/contoh/keputusan> kin:year "2024" }
