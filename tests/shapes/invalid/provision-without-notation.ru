# A provision keeps its notation as printed ("KESATU").
# focus:     <id/contoh/diktum-kesatu>
# shape:     kin-sh:LegalResourceSubdivision-notation
# component: sh:MinCountConstraintComponent
# message:   exactly one skos:notation
DELETE WHERE { <id/contoh/diktum-kesatu> skos:notation ?notation }
