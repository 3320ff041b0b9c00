// Name search also finds a firm or person by its other names (issue 13's FollowTheMoney names:
// other_names, aliases, previous_names, weak_aliases, each a list of strings): the indexes of
// 008 are replaced by ones over all five properties, with the same cjk analyzer. A renamed
// firm is found by its former name, a person by a transliteration kept as an alias.
DROP INDEX company_name_fulltext IF EXISTS;
DROP INDEX person_name_fulltext IF EXISTS;
CREATE FULLTEXT INDEX company_names_fulltext IF NOT EXISTS FOR (n:Company) ON EACH [n.name, n.other_names, n.aliases, n.previous_names, n.weak_aliases] OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk', `fulltext.eventually_consistent`: false}};
CREATE FULLTEXT INDEX person_names_fulltext IF NOT EXISTS FOR (n:Person) ON EACH [n.name, n.other_names, n.aliases, n.previous_names, n.weak_aliases] OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk', `fulltext.eventually_consistent`: false}};
CALL db.awaitIndexes(600);
