# The digest is 64 lower-case hexadecimal characters.
# focus:     <id/contoh/sumber>
# shape:     kin-sh:SourceFile-sha256
# component: sh:PatternConstraintComponent
# message:   64 lower-case hexadecimal characters
DELETE WHERE { <id/contoh/sumber> kin:sha256 ?digest } ;
INSERT DATA { <id/contoh/sumber> kin:sha256 "098955300CFE637388F5FA88A9A687D1075DDCA1135FCD73D36C828C031FAF31" }
