# Numbers of instruments are strings as printed ("PER/9/M.PAN/5/2007" is not a number).
# focus:     <id/contoh/perpres>
# shape:     kin-sh:LegalResource-number
# component: sh:DatatypeConstraintComponent
# message:   exactly one eli:number
DELETE WHERE { <id/contoh/perpres> eli:number ?number } ;
INSERT DATA { <id/contoh/perpres> eli:number 18 }
