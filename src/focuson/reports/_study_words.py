"""The Study card's words and look: designs, models and checks in plain English, and its CSS.

The CSS adds to the reports' own (:data:`focuson.reports._html.CSS`): two columns on a wide
screen, one on a phone, and a print sheet that keeps the card on one A4 page.
"""

DESIGN_WORDS = {
    "its": "Single-group interrupted time series (segmented regression)",
    "comparative_its": "Comparative interrupted time series",
    "did": "Difference-in-differences",
    "staggered": "Difference-in-differences for a staggered roll-out (imputation)",
    "synthetic_control": "Synthetic control",
    "sdid": "Synthetic difference-in-differences",
    "ancova": "ANCOVA on the baseline",
    "descriptive": "Descriptive only (run chart)",
}
#: Designs fitted as segmented regressions with the plan's model family, impact and seasonality.
SEGMENTED = frozenset({"its", "comparative_its"})
FAMILY_WORDS = {
    "binomial": "quasi-binomial model of the monthly proportions",
    "poisson": "quasi-Poisson model of the monthly counts",
    "gaussian": "linear model of the monthly values",
}
IMPACT_WORDS = {
    "level": "a change in level",
    "slope": "a change in slope",
    "level_and_slope": "a change in level and in slope",
}
CHECK_NAMES = {
    "pre_trend": "Trend before the change",
    "parallel_trends": "Parallel trends before the change",
    "autocorrelation": "Autocorrelation left",
    "seasonality": "Seasonality",
    "placebo": "Placebo test",
    "suppression": "Suppressed months, small numbers",
    "comparisons": "Number of comparisons",
}
ESTIMAND_WORDS = {
    "overall": "Overall effect (positive = better)",
    "gap": "Change in the gap (positive = narrowed)",
    "baseline_gap": "Gap before the change (positive = most deprived behind)",
    "group": "Effect in the group (as measured)",
}
STATUS_WORDS = {"pass": "Pass", "warning": "Check", "fail": "Fail", "not applicable": "Not done"}

CARD_CSS = """
body { max-width: 64rem; }
h1 { font-size: 1.7rem; } h2 { font-size: 1.2rem; margin-top: 1.25rem; }
.verdict { border: 3px solid #005eb8; padding: 0.5rem 1rem; margin: 0.75rem 0; }
.verdict h2 { border: 0; margin: 0; padding: 0; }
.verdict p { margin: 0.3rem 0; font-size: 1.05rem; }
.flag-red { border-color: #d5281b; } .flag-amber { border-color: #ffb81c; }
.flag { font-weight: bold; }
.card-grid { display: grid; grid-template-columns: 1fr 1fr; gap: 0 1.5rem; }
.card-grid section { min-width: 0; }
.big { font-size: 1.3rem; font-weight: bold; margin: 0.25rem 0; }
.big .meta { font-size: 0.95rem; font-weight: normal; }
dl.design { display: grid; grid-template-columns: max-content 1fr; gap: 0.1rem 0.75rem;
  margin: 0.25rem 0; }
dl.design dt { font-weight: bold; } dl.design dd { margin: 0; overflow-wrap: anywhere; }
ul.checks { list-style: none; padding: 0; margin: 0.25rem 0; }
ul.checks li { margin: 0 0 0.35rem; }
.tag { display: inline-block; min-width: 5.5em; text-align: center; font-weight: bold;
  border-radius: 2px; padding: 0 0.3rem; margin-right: 0.4rem; }
.tag-pass { background: #007f3b; color: #fff; }
.tag-warning { background: #ffb81c; color: #212b32; }
.tag-fail { background: #d5281b; color: #fff; }
.tag-not-applicable { background: #d8dde0; color: #212b32; }
.amended { color: #d5281b; font-weight: bold; }
footer { color: #4c6272; font-size: 0.85rem; margin-top: 1rem; }
@media (max-width: 48rem) { .card-grid { display: block; } }
@media print {
  @page { size: A4; margin: 9mm; }
  body { font-size: 7.5pt; line-height: 1.25; }
  h1 { font-size: 13pt; margin: 0; } h2 { font-size: 9.5pt; margin: 0.3rem 0 0.1rem; }
  .lede { margin: 0.1rem 0; } .verdict { padding: 0.2rem 0.5rem; margin: 0.3rem 0; }
  .verdict p { font-size: 8.5pt; margin: 0.1rem 0; } .big { font-size: 10pt; margin: 0; }
  .big .meta { font-size: 7.5pt; }
  .card-grid { display: grid; gap: 0 1rem; }
  figure { margin: 0.2rem 0; } figcaption { font-size: 6.5pt; margin: 0; }
  figure svg { max-height: 52mm; width: auto; min-width: 0 !important; }
  ul.checks li { margin: 0 0 0.1rem; } footer { font-size: 6.5pt; margin-top: 0.3rem; }
  details { display: none; }
}
"""
