# An indicator concept has a preferred label in Indonesian.
# focus:     <id/contoh/konsep>
# shape:     kin-sh:IndicatorConcept-prefLabel
# component: sh:QualifiedMinCountConstraintComponent
# message:   at least one in Indonesian
DELETE WHERE { <id/contoh/konsep> skos:prefLabel ?label } ;
INSERT DATA { <id/contoh/konsep> skos:prefLabel "Percentage of prisoners granted remission"@en }
