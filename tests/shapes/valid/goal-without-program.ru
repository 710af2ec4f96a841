# kin:program is only there when the document groups goals by program.
DELETE WHERE { <id/contoh/sasaran> kin:program ?program }
