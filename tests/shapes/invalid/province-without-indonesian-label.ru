# Code lists are bilingual, but the Indonesian label is required.
# focus:     <id/provinsi/kalimantan-barat>
# shape:     kin-sh:CodeListConcept-label
# component: sh:QualifiedMinCountConstraintComponent
# message:   an rdfs:label in Indonesian
DELETE { <id/provinsi/kalimantan-barat> rdfs:label ?label }
WHERE { <id/provinsi/kalimantan-barat> rdfs:label ?label FILTER (lang(?label) = "id") }
