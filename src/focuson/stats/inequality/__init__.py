"""Summary measures of health inequality across the subgroups of a dimension.

Inputs are matrices: one row per *setting* (an area, period or indicator: anything you compare
separately) and one column per *subgroup* (an IMD quintile, an ethnic group ...). Pass a 1-d array
for a single setting. Absent subgroups are NaN (estimate) or 0 (population), so settings with
different numbers of subgroups share one call. For ordered dimensions, columns run from the most
disadvantaged (column 0, e.g. IMD decile 1) to the most advantaged.
"""
