# Value ranges depend on the unit's quantity kind, so every unit has one.
# focus:     <id/satuan/persen>
# shape:     kin-sh:Unit-quantityKind
# component: sh:MinCountConstraintComponent
# message:   exactly one kin:quantityKind
DELETE WHERE { <id/satuan/persen> kin:quantityKind ?kind }
