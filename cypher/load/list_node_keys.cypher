// Natural keys of every node with a label. Parameters: $label (a Label from graph/schema.py),
// $key (that label's key property name). Returns one row per node: key.
MATCH (n:$($label))
RETURN n[$key] AS key
