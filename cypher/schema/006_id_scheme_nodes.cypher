// A world's declared firm identifier namespaces (manifest `id_schemes`, graph/identifiers.py) are
// stored as (:IdScheme {name, doc, pattern, has_region}) at load, so the API and the CLI check
// namespaced keys with the declared pattern (graph/id_scheme_store.py). One node per namespace.
CREATE CONSTRAINT id_scheme_name IF NOT EXISTS FOR (n:IdScheme) REQUIRE n.name IS UNIQUE;
