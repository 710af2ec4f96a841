# Every resource has a label, the ministry too.
# focus:     <id/contoh/kementerian>
# shape:     kin-sh:IndonesianLabel-label
# component: sh:MinCountConstraintComponent
# message:   Every resource needs an rdfs:label in Indonesian
DELETE WHERE { <id/contoh/kementerian> rdfs:label ?label }
