# An office belongs to its ministry.
# focus:     <id/contoh/kanwil>
# shape:     kin-sh:OrganizationalUnit-unitOf
# component: sh:MinCountConstraintComponent
# message:   exactly one org:unitOf
DELETE WHERE { <id/contoh/kanwil> org:unitOf ?ministry }
