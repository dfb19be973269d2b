"""Everything par_score writes: JSON results, traces, reports, workbooks — always atomically."""
