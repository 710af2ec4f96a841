# "3,1 Indeks": index scores may have decimals (only counts must be whole).
DELETE WHERE { <id/contoh/target> kin:targetValue ?value ; kin:unit ?unit ; kin:targetText ?text } ;
INSERT DATA { <id/contoh/target> kin:targetValue 3.1 ; kin:unit <id/satuan/indeks> ; kin:targetText "3,1 Indeks" }
