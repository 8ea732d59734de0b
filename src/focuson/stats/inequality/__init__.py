"""Summary measures of health inequality across the subgroups of a dimension.

Inputs are matrices: one row per *setting* (an area, period or indicator: anything you compare
separately) and one column per *subgroup* (an IMD quintile, an ethnic group ...). Pass a 1-d array
for a single setting. For non-ordered dimensions a subgroup absent from a setting is a NaN
estimate with population 0, so settings with different numbers of subgroups share one call. For
ordered dimensions, columns run from the most disadvantaged (column 0, e.g. IMD decile 1) to the
most advantaged, and a NaN estimate is missing whatever its population (an error unless
``force=True``), as it is for PAF and PAR on any dimension. ``Estimate.dropped`` names the
subgroups each measure left out.
"""
