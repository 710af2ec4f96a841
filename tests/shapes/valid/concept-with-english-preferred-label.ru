# One preferred label per language: an English one next to the Indonesian one is fine.
INSERT DATA { <id/contoh/konsep> skos:prefLabel "Percentage of prisoners granted remission"@en }
