-- Server (devices run it too and leave it empty): the plant-wide index of petitioner
-- identities (domain/typology.h identity_key) the server's kind-flag recomputation matches
-- repeat petitions on, kept for every live petitioner with an identity. Looked up by identity
-- to find the other cases of the same people, and by case to replace a case's entries.
CREATE TABLE petitioner_identity (
  identity_key TEXT NOT NULL,
  petitioner_id TEXT NOT NULL PRIMARY KEY,
  case_id TEXT NOT NULL
);
CREATE INDEX petitioner_identity_by_key ON petitioner_identity (identity_key, case_id);
CREATE INDEX petitioner_identity_by_case ON petitioner_identity (case_id);
