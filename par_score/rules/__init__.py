"""The language a leaf's scale is compiled into: conditions over named variables, mutually exclusive bands, the
points a band gives, and what a leaf read from its evidence (its facts). Pure data and exact Decimals; both the
durable-rules adapter and the pure evaluator decide from these same objects.

- fields.py      field types shared by scale declarations and the catalogue (fractions, thresholds, month-days)
- variables.py   the variables bands compare (ratio, value, count, issue date, …): label, display, whole or not
- conditions.py  Condition: variable, operator, threshold; holds / words / negation
- bands.py       Band (conditions + points + status) and Points (a fixed fraction of max, or a formula)
- facts.py       LeafFacts (state + values) and InputValue (one value read, as shown to a person)
"""
