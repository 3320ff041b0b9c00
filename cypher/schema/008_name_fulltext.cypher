// Full-text indexes for name search (graph/name_search.py, issue 18): Lucene's cjk analyzer
// indexes Chinese, Japanese and Korean text as overlapping character bigrams and other text as
// lower-cased words, so companies(name:) and people(name:) no longer scan every name. Updated
// in the writing transaction (not eventually consistent): a loaded name is found at once.
CREATE FULLTEXT INDEX company_name_fulltext IF NOT EXISTS FOR (n:Company) ON EACH [n.name] OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk', `fulltext.eventually_consistent`: false}};
CREATE FULLTEXT INDEX person_name_fulltext IF NOT EXISTS FOR (n:Person) ON EACH [n.name] OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk', `fulltext.eventually_consistent`: false}};
CALL db.awaitIndexes(600);
