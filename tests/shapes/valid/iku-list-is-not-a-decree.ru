# A performance document that is not a decree (an IKU list) needs no date, parts or bases.
DELETE WHERE { <id/contoh/diktum-kesatu> ?p ?o } ;
DELETE WHERE { <id/contoh/keputusan> a eli:LegalResource ; eli:type_document ?type ;
               eli:number ?number ; eli:title ?title ; eli:passed_by ?issuer ;
               eli:date_document ?date ; eli:has_part ?part } ;
DELETE WHERE { <id/contoh/keputusan> eli:based_on ?basis } ;
DELETE WHERE { <id/contoh/keputusan> kin:documentType ?type } ;
INSERT DATA { <id/contoh/keputusan> kin:documentType <id/jenis-dokumen/iku> }
