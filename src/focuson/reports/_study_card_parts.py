"""The parts of the one-page Study card (:mod:`focuson.reports.study_card`): the verdict box,
the question and design, the overall effect with its counterfactual chart, the effect on the gap
with the forest plot and the gap groups' series, the checks panel and the numbers. ``Card``
reads a Study folder's tables once; each method writes one part of the page.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from focuson.charts.event_time import event_time_chart
from focuson.charts.study import counterfactual_chart, forest_chart
from focuson.labels import group_label
from focuson.reports._html import Page, e, records, table
from focuson.reports._study_words import (
    CHECK_NAMES,
    DESIGN_WORDS,
    ESTIMAND_WORDS,
    FAMILY_WORDS,
    IMPACT_WORDS,
    SEGMENTED,
    STATUS_WORDS,
)
from focuson.runs.study_series import GAP_DIMENSIONS
from focuson.study.plan import PlanRecord


def month_name(value: str) -> str:
    return pd.Period(value, freq="M").strftime("%B %Y")


def _span(window: Any) -> str:
    n, start, end = window.months, month_name(window.start), month_name(window.end)
    return f"{start} to {end} ({n} month{'s' if n > 1 else ''})"


def _num(value: object, unit: str = "", signed: bool = False) -> str:
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "not available"
    if not np.isfinite(v):
        return "not available"
    return f"{v:+.1f}{unit}" if signed else f"{v:.1f}{unit}"


class Card:
    """Reads the folder's tables once; each method writes one part of the page."""

    def __init__(
        self,
        record: PlanRecord,
        effects: pd.DataFrame,
        verdict: pd.DataFrame,
        series: pd.DataFrame,
        checks: pd.DataFrame,
        title: str,
    ) -> None:
        self.record, self.plan = record, record.current.plan
        self.effects, self.verdict = effects, verdict.set_index("estimand")
        self.series, self.checks, self.title = series, checks, title
        units = effects["units"].iloc[0] if not effects.empty else "pp"
        self.unit = " pp" if units == "pp" else ""
        self.sign = 1 if self.plan.outcome.better == "higher" else -1
        unit = self.plan.unit
        self.where = unit.group if unit is not None else "Everyone"
        #: "in Brent", or nothing for the whole population.
        self.in_where = f" in {unit.group}" if unit is not None else ""
        self.gdim = GAP_DIMENSIONS[self.plan.gap.by]

    def effect(self, estimand: str, group: str | None = None) -> dict[str, Any] | None:
        rows = self.effects.loc[self.effects["estimand"] == estimand]
        if group is not None:
            rows = rows.loc[rows["group"] == group]
        return records(rows)[0] if not rows.empty else None

    def group_name(self, group: str, *, mid_sentence: bool = False) -> str:
        """A gap group's label without the unit's name ("Most deprived fifth")."""
        part = group.rpartition(" | ")[2]
        return group_label(self.gdim.rpartition(" x ")[2], part, mid_sentence=mid_sentence)

    # --- the parts of the page -------------------------------------------------------------

    def verdict_box(self) -> str:
        flag = str(self.verdict["flag"].iloc[0]) if "flag" in self.verdict else "none"
        lines = [f"<p>{e(self.verdict.loc[k, 'sentence'])}</p>" for k in ("overall", "gap")]
        if flag == "red":
            lines.append('<p class="flag">Red flag: overall better, but the gap widened. Adapt '
                         "the prototype towards the groups left behind.</p>")  # fmt: skip
        elif flag == "amber":
            lines.append('<p class="flag">Amber: we cannot tell whether inequality changed.</p>')
        decision = str(self.verdict.loc["overall", "decision"])
        if self.verdict.loc["overall", "category"] == "descriptive":
            lines.append("<p>No verdict yet: read the chart as a description, not as evidence "
                         "of an effect.</p>")  # fmt: skip
        else:
            lines.append(f"<p>What boards usually decide on this verdict: {e(decision)}. The "
                         "decision and who took it are recorded by the programme.</p>")  # fmt: skip
        return (
            f'<section class="verdict flag-{e(flag)}" aria-labelledby="verdict">'
            f'<h2 id="verdict">Verdict</h2>{"".join(lines)}</section>'
        )

    def design(self) -> str:
        p, w, v = self.plan, self.plan.windows, self.record.current
        gap = p.gap
        most = self.group_name(gap.most)
        better = "higher is better" if p.outcome.better == "higher" else "lower is better"
        overall = self.effect("overall")
        errors = str(overall["se_convention"]) if overall else "not fitted"
        if p.design in SEGMENTED:
            model = f"{FAMILY_WORDS[p.model.family]}, {IMPACT_WORDS[p.model.impact]}"
            pairs = p.model.fourier_pairs
            model += (
                f", {pairs} seasonal sine-cosine pair{'s' if pairs > 1 else ''}"
                if pairs
                else (", no seasonal terms")
            )
        else:
            # The other designs are not segmented regressions: say what was fitted, as the
            # run recorded it (weights, fixed effects, baseline adjustment).
            model = str(overall["method"]) if overall else "no model fitted"
        model += f"; errors: {errors}"
        rows = [
            ("Outcome", f"{self.title} ({better})"),
            ("Where", self.where),
            ("Gap", f"{most} against the {self.group_name(gap.least, mid_sentence=True)}"),
            ("Design", DESIGN_WORDS.get(p.design, p.design)),
            ("Model", model),
            ("Before", _span(w.pre)),
            *([("Left out", _span(w.transition))] if w.transition else []),
            ("After", _span(w.post)),
            ("Worthwhile", f"{_num(p.smallest_worthwhile_change.overall, self.unit)} overall, "
                           f"{_num(p.smallest_worthwhile_change.gap, self.unit)} in the gap"),
        ]  # fmt: skip
        if p.comparison_units:
            rows.append(("Compared with", ", ".join(p.comparison_units)))
        for ev in p.concurrent_events:
            rows.append(("Also happened", f"{month_name(ev.month)}: {ev.description}"))
        frozen = v.frozen_at.strftime("%d %B %Y %H:%M UTC")
        plan_text = f"version {v.version}, frozen {frozen}, SHA-256 {v.sha256[:12]}"
        rows.append(("Plan", plan_text))
        items = "".join(f"<dt>{e(k)}</dt><dd>{e(val)}</dd>" for k, val in rows)
        out = [f'<dl class="design">{items}</dl>']
        for a in self.record.versions[1:]:
            seen = " after data were seen" if a.data_seen else " before data were seen"
            cls = ' class="amended"' if a.data_seen else ""
            out.append(f"<p{cls}>Amended (version {a.version}, {a.frozen_at:%d %B %Y}){seen}: "
                       f"{e(a.reason)}</p>")  # fmt: skip
        if len(self.record.versions) == 1:
            out.append("<p>The plan was not changed after it was frozen.</p>")
        return "".join(out)

    def row_group(self, estimand: str, group: str) -> str:
        """The group of an effects row in words."""
        if estimand in ("gap", "baseline_gap"):
            most, _, least = group.partition(" vs ")
            return f"{self.group_name(most)} against {self.group_name(least, mid_sentence=True)}"
        return self.where if estimand == "overall" else self.group_name(group)

    def group_code(self, g: str) -> str:
        return g if self.plan.unit is None else f"{self.plan.unit.group} | {g}"

    def overall(self, page: Page) -> None:
        o = self.effect("overall")
        page.add('<section aria-labelledby="overall"><h2 id="overall">Overall effect</h2>')
        if o is None:
            page.add("<p>Not estimated: months of the series are suppressed or missing (see "
                     "the checks).</p>")  # fmt: skip
        else:
            page.add(f'<p class="big">{_num(o["estimate"], self.unit, True)} '
                     f'<span class="meta">(95% CI {_num(o["lower"], self.unit)} to '
                     f'{_num(o["upper"], self.unit)}; positive = better)</span></p>')  # fmt: skip
            rel = o.get("relative")
            if rel is not None and np.isfinite(float(rel)):
                page.add(f"<p>{_num(rel, '%', True)} on what was expected (95% CI "
                         f"{_num(o['relative_lower'], '%')} to "
                         f"{_num(o['relative_upper'], '%')}).</p>")  # fmt: skip
            page.add(self.people(float(o["estimate"])))
        s = self.series.loc[self.series["series"] == "overall"]
        if s["observed"].notna().any():
            page.figure(
                counterfactual_chart(s, value_label="Per cent" if self.unit else "Value"),
                label=self.chart_words(s),
                caption=("Dots: the published monthly values (hollow: left out of the fit); blue "
                         "line: the model; dashed purple line and band: what was expected without "
                         "the change, with its 95% confidence band; grey span: transition left "
                         "out."),
                figure_id="counterfactual",
            )  # fmt: skip
        page.add("</section>")

    def event_time(self, page: Page) -> None:
        """Effects by months since each unit's start, leads included (staggered roll-out)."""
        rows = self.effects.loc[self.effects["estimand"] == "event_time"]
        if rows.empty:
            return
        rows = rows.assign(relative=rows["group"].astype(int)).sort_values("relative")
        leads = rows.loc[rows["relative"] < 0, "estimate"].to_numpy(float)
        lags = rows.loc[rows["relative"] >= 0]
        words = f"{self.title} by months since each unit's start."
        if leads.size:
            words += (f" Before the start the effects lie between {_num(leads.min(), self.unit)} "
                      f"and {_num(leads.max(), self.unit)}.")  # fmt: skip
        if not lags.empty:
            first, last = records(lags.iloc[[0, -1]])
            at_first = _num(first["estimate"], self.unit, True)
            at_last = _num(last["estimate"], self.unit, True)
            words += f" In the first month {at_first}; {int(last['relative'])} months on {at_last}."
        page.figure(
            event_time_chart(rows, unit=self.unit.strip()),
            label=words,
            caption=("Effects by months since each unit's own start, with 95% intervals (unit "
                     "bootstrap), positive = better. Grey, before the start: these should sit "
                     "on zero when the trends were parallel. Blue: the effect as it built up."),
            figure_id="event-time",
        )  # fmt: skip

    def people(self, estimate: float) -> str:
        if self.unit != " pp":
            return ""
        post = self.series.loc[
            (self.series["series"] == "overall") & (self.series["phase"] == "post")
        ]
        total = float(post["denominator"].sum())
        if not total:
            return ""
        n = abs(estimate) / 100 * total
        more = "more" if estimate * self.sign > 0 else "fewer"
        return (f"<p>Over the {len(post)} months after the change, that is about {n:,.0f} {more} "
                f"of the {total:,.0f} people counted than expected.</p>")  # fmt: skip

    def chart_words(self, s: pd.DataFrame) -> str:
        post = s.loc[s["phase"] == "post"]
        obs, exp = post["observed"].mean(), post["expected"].mean()
        text = f"{self.title}{self.in_where} by month."
        if np.isfinite(obs) and np.isfinite(exp):
            text += (f" After the change the published values averaged {obs:.1f}{self.unit}, "
                     f"where {exp:.1f}{self.unit} was expected without it.")  # fmt: skip
        return text

    def forest_rows(self) -> pd.DataFrame:
        swc = self.plan.smallest_worthwhile_change
        rows = []
        o = self.effect("overall")
        if o is not None:
            label = f"{self.where} (everyone)" if self.plan.unit is not None else "Everyone"
            rows.append((label, o, 1, swc.overall))
        for g in (self.plan.gap.most, self.plan.gap.least):
            r = self.effect("group", self.group_code(g))
            if r is not None:
                rows.append((self.group_name(self.group_code(g)), r, self.sign, swc.overall))
        gap = self.effect("gap")
        if gap is not None:
            rows.append(("The gap (right = narrower)", gap, 1, swc.gap))
        out = []
        for label, r, sign, delta in rows:
            for panel, cols, d in (
                ("absolute", ("estimate", "lower", "upper"), delta),
                ("relative", ("relative", "relative_lower", "relative_upper"), np.nan),
            ):
                vals = [sign * float(r.get(c, np.nan)) for c in cols]
                lo, hi = sorted(vals[1:])
                out.append({"label": label, "panel": panel, "estimate": vals[0], "lower": lo,
                            "upper": hi, "swc": d})  # fmt: skip
        return pd.DataFrame(out, columns=["label", "panel", "estimate", "lower", "upper", "swc"])

    def gap(self, page: Page) -> None:
        page.add('<section aria-labelledby="gap"><h2 id="gap">Effect on the gap</h2>')
        g, base = self.effect("gap"), self.effect("baseline_gap")
        if g is None:
            page.add(f"<p>{e(self.verdict.loc['gap', 'sentence'])}</p>")
        else:
            page.add(f'<p class="big">{_num(g["estimate"], self.unit, True)} '
                     f'<span class="meta">(95% CI {_num(g["lower"], self.unit)} to '
                     f'{_num(g["upper"], self.unit)}; positive = narrowed)</span></p>')  # fmt: skip
            if base is not None:
                clear = base["lower"] > 0 or base["upper"] < 0
                page.add(f"<p>The gap before the change: {_num(base['estimate'], self.unit)} "
                         f"(95% CI {_num(base['lower'], self.unit)} to "
                         f"{_num(base['upper'], self.unit)})"
                         + ("." if clear else ": no clear gap to narrow.") + "</p>")  # fmt: skip
        rows = self.forest_rows()
        if not rows.empty:
            words = "; ".join(
                f"{r['label']}: {_num(r['estimate'], self.unit, True)} ({_num(r['lower'])} to "
                f"{_num(r['upper'])})"
                for r in records(rows.loc[rows["panel"] == "absolute"])
            )
            page.figure(
                forest_chart(rows, unit=self.unit.strip()),
                label=f"Effect by group, positive = better. {words}.",
                caption=("Dots: effects with 95% confidence intervals, right = better (for the "
                         "gap: narrower). Dark pink marks: the smallest worthwhile change. Below: "
                         "the same relative to what was expected (the gap: to its size "
                         "before)."),
                figure_id="forest",
            )  # fmt: skip
        self.groups_figure(page)
        page.add("</section>")

    def groups_figure(self, page: Page) -> None:
        """Each gap group's published series with its fitted and expected lines, one chart
        each (most deprived first): where the gap's change came from."""
        charts, words = [], []
        for key, code in (("most", self.plan.gap.most), ("least", self.plan.gap.least)):
            s = self.series.loc[self.series["series"] == key]
            if not s["observed"].notna().any():
                continue
            name = self.group_name(self.group_code(code))
            label = "Per cent" if self.unit else "Value"
            charts.append(counterfactual_chart(s, title=name, value_label=label, height=150))
            words.append(self.chart_words(s).replace(f"{self.title}{self.in_where}", name, 1))
        if charts:
            page.figure(
                alt.vconcat(*charts, spacing=18) if len(charts) > 1 else charts[0],
                label=" ".join(words),
                caption=("Each gap group's published monthly values (dots) with the model's line "
                         "and, dashed, what was expected without the change. No lines where a "
                         "group's months are suppressed: the gap model was not fitted."),
                figure_id="groups",
            )  # fmt: skip

    def checks_panel(self) -> str:
        items = []
        for r in records(self.checks):
            status = str(r["status"])
            name = CHECK_NAMES.get(str(r["check"]), str(r["check"]).replace("_", " ").capitalize())
            cls = status.replace(" ", "-")
            items.append(f'<li><span class="tag tag-{e(cls)}">{e(STATUS_WORDS.get(status, status))}'
                         f"</span><strong>{e(name)}.</strong> {e(r['sentence'])}</li>")  # fmt: skip
        return f'<ul class="checks">{"".join(items)}</ul>'

    def numbers(self) -> str:
        cols = ("estimate", "lower", "upper", "relative")
        rows = [
            [e(ESTIMAND_WORDS.get(str(r["estimand"]), str(r["estimand"]))),
             e(self.row_group(str(r["estimand"]), str(r["group"]))),
             *(e(_num(r.get(c))) for c in cols), e(r.get("se_convention", ""))]
            for r in records(self.effects)
        ]  # fmt: skip
        head = ("Estimate", "Group", f"Effect{self.unit}", "95% CI lower", "95% CI upper",
                "Relative (%)", "Errors")  # fmt: skip
        return ("<details><summary>The numbers</summary>"
                + table("Every estimate of the Study", head, rows, text_columns=2)
                + "</details>")  # fmt: skip
