# kin:office is the office (org:OrganizationalUnit), not the ministry.
# focus:     <id/contoh/target>
# shape:     kin-sh:Target-office
# component: sh:ClassConstraintComponent
# message:   exactly one kin:office
DELETE WHERE { <id/contoh/target> kin:office ?office } ;
INSERT DATA { <id/contoh/target> kin:office <id/contoh/kementerian> }
