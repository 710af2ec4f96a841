# The number of an indicator is kept as printed, a string.
# focus:     <id/contoh/indikator>
# shape:     kin-sh:Indicator-notation
# component: sh:DatatypeConstraintComponent
# message:   a plain string such as "2"
DELETE WHERE { <id/contoh/indikator> skos:notation ?notation } ;
INSERT DATA { <id/contoh/indikator> skos:notation 2 }
