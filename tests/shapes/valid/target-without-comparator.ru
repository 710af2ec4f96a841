# The comparator is an optional attribute.
DELETE WHERE { <id/contoh/target> kin:comparator ?comparator }
