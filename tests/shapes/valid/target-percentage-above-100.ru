# Percentages above 100 are not forbidden (only negative ones).
DELETE WHERE { <id/contoh/target> kin:targetValue ?value } ;
INSERT DATA { <id/contoh/target> kin:targetValue 110.0 }
