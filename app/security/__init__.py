"""Who is calling: API keys, roles and the disclosure classes each role may see."""
