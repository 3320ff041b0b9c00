// Lookup indexes for the fields investigators filter on.
CREATE INDEX company_region IF NOT EXISTS FOR (n:Company) ON (n.region_code);
CREATE INDEX company_industry IF NOT EXISTS FOR (n:Company) ON (n.industry_code);
CREATE INDEX company_status IF NOT EXISTS FOR (n:Company) ON (n.status);
CREATE TEXT INDEX company_name IF NOT EXISTS FOR (n:Company) ON (n.name);
CREATE INDEX credit_record_category IF NOT EXISTS FOR (n:CreditRecord) ON (n.category);
CREATE INDEX credit_record_issued IF NOT EXISTS FOR (n:CreditRecord) ON (n.issued_on);
CREATE INDEX tender_region IF NOT EXISTS FOR (n:Tender) ON (n.region_code);
