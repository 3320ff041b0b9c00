"""The registry in GraphQL: companies, people, addresses, credit records, tenders and bids."""
