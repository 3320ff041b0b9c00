"""What every GraphQL domain shares: the Node interface, pagination, field helpers."""
