# "0 UPT": zero is a whole, non-negative count.
DELETE WHERE { <id/contoh/target> kin:targetValue ?value ; kin:unit ?unit ; kin:targetText ?text } ;
INSERT DATA { <id/contoh/target> kin:targetValue 0.0 ; kin:unit <id/satuan/upt> ; kin:targetText "0 UPT" }
