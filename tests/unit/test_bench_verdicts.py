"""The benchmark judges every scale it runs: each page's target at every scale, and its growth from scale 1."""

from pathlib import Path

import pytest

from bench.run import cpu_ticks, growth, markdown, stolen_share, verdicts


def run(scale: float, p95: float, backend: str = "sqlite") -> dict:
    page = {"status": 200, "p50_ms": p95, "p95_ms": p95, "target_p95_ms": 50, "statements": 5, "python_calls": 41000}
    counts = {"meetings": 1, "families": 1, "discussions": 1, "actions": 1}
    return {"backend": backend, "scale": scale, "seed_seconds": 1, "counts": counts, "pages": {"Dashboard": page}}


def test_a_page_that_grows_more_than_half_again_from_scale_1_is_a_missed_target():
    runs = [run(1, 20), run(10, 31)]
    assert growth(runs[1], runs, "Dashboard") == 1.55
    assert verdicts(runs[1], runs) == ["Dashboard: p95 1.55× scale 1's (limit 1.5×)"]
    assert verdicts(runs[0], runs) == []


def test_growth_within_timer_noise_or_below_the_limit_is_fine():
    assert verdicts(run(10, 2.9), [run(1, 1.0), run(10, 2.9)]) == []  # 2.9× but under 2 ms more
    assert verdicts(run(10, 29), [run(1, 20), run(10, 29)]) == []


def test_the_target_is_judged_at_every_scale_and_the_report_says_so():
    runs = [run(0.1, 60), run(1, 20), run(10, 70)]
    for each in runs:
        each["growth"] = {"Dashboard": growth(each, runs, "Dashboard")}
        each["problems"] = verdicts(each, runs)
    assert runs[0]["problems"] == ["Dashboard: p95 60 ms (target 50 ms)"]
    assert runs[2]["problems"] == ["Dashboard: p95 70 ms (target 50 ms)", "Dashboard: p95 3.5× scale 1's (limit 1.5×)"]
    report = markdown({"runs": runs})
    assert (
        "Targets, every scale run: sqlite scale 0.1: 1 missed; sqlite scale 1: all met; sqlite scale 10: 2 missed."
        in report
    )
    assert "| Dashboard | 70 | 70 | 50 | 3.5× | – | 5 | 41,000 |" in report


def test_pages_are_read_as_multiples_of_the_bare_route_which_has_no_target_of_its_own():
    from bench.run import BARE

    measured = run(1, 70)
    measured["pages"][BARE] = {"status": 200, "p50_ms": 7, "p95_ms": 7.0, "target_p95_ms": None, "statements": 0}
    measured["problems"] = verdicts(measured, [measured])
    assert measured["problems"] == ["Dashboard: p95 70 ms (target 50 ms)"]
    measured["throughput"] = {
        "workers": 4,
        "client_threads": 8,
        "seconds": 10,
        "ratio": 0.5,
        "ratio_uncached": 0.1,
        **{kind: {"per_second": 280.5, "failed": 0} for kind in ("bare", "agenda", "agenda_uncached")},
    }
    report = markdown({"runs": [measured]})
    assert "| Dashboard | 70 | 70 | 50 | – | 10.0 | 5 | 41,000 |" in report
    assert f"| {BARE} | 7 | 7.0 | – | – | 1.0 | 0 | – |" in report  # a run recorded without Python calls
    assert "this machine ran 4.0× as slow as then" in report  # 1,122 req/s on 24 November
    assert "took" not in report  # no share of CPU time stolen was recorded
    measured["cpu_stolen"] = stolen_share((100, 1000), (180, 2000))
    assert measured["cpu_stolen"] == 0.08
    assert "other guests of this machine's host took 8% of the CPU time it wanted" in markdown({"runs": [measured]})


@pytest.mark.skipif(not Path("/proc/stat").exists(), reason="no /proc/stat: not Linux")
def test_cpu_time_stolen_is_read_from_this_machine_and_counts_only_while_it_wants_to_run():
    before = cpu_ticks()
    assert before is not None
    stolen, wanted = before
    assert 0 <= stolen <= wanted
    assert stolen_share(before, before) is None  # nothing wanted in between: no share
    assert stolen_share(None, before) is None
