"""The empirical patterns and the lever table (docs/ODD.md, section 8), from the mechanisms.

One validation run (10 paired replicates per arm, organisations at a fifth of the
preset size) is shared by the tests below; each test restates the claim it checks,
with the range derived from the sources cited in ``experiments/validation.py``. A
pattern the model does not reproduce is an expected failure, with the reason: the
test turns red when a change makes it pass, so the docs can be updated.
"""

import pytest

from experiments.validation import CHECKS, PATTERNS, report, validate

pytestmark = pytest.mark.slow
REPLICATES, SEED = 10, 2024
#: Why a check fails: the defaults are one point of the posterior (docs/ODD.md, section 8).
AT_POINT = ("not reproduced at the adopted point of 4 December, of the central posterior "
            "draws that fit and keep the presets below their tipping point the one whose "
            "worst statistic lies nearest its target")


@pytest.fixture(scope="module")
def verdicts():
    return {str(check.number): result
            for check, result in validate(REPLICATES, SEED, workers=None)[0]}


def test_every_check_has_a_test():
    tested = {name.split("_")[1].upper() for name in globals() if name.startswith("test_")}
    assert {str(check.number).upper() for check in CHECKS} <= tested


def test_1_admin_takes_about_a_third_of_time_in_care(verdicts):  # calibrated
    result = verdicts["1"]
    assert 0.25 <= result.value <= 0.40 and result.passed  # Berenschot 34-35%, CBS 31%


@pytest.mark.xfail(strict=True, reason=f"{AT_POINT} (built in): from caseload caps 30 to "
                   "36 open contact per client falls by 3.4% (interval 1.6% to 5.2%), "
                   "scripted by 5.9%, though the bond still falls (0.20 from caps 30 "
                   "to 48); 2% of 40 single runs at the defaults, 70% over the "
                   "posterior")
def test_2_open_contact_is_rationed_before_scripted_contact(verdicts):  # built in
    result = verdicts["2"]
    assert result.value > 2 * result.details["scripted contact fall"] and result.passed


def test_3_outcomes_of_care_are_flat_well_below_full_occupancy_then_fall(verdicts):
    result = verdicts["3"]
    assert abs(result.details["change below 85% occupancy"]) < 0.02
    assert result.value > 0.02 and result.passed  # Kuntz et al. 2015
    # (held out, but no blind test at the defaults: their point was chosen below the
    # presets' tipping point; ODD section 8, "Why the tipping point is checked")


def test_4_the_early_bond_and_the_speed_of_care_correlate_moderately(verdicts):
    result = verdicts["4"]
    assert 0.15 <= result.value <= 0.45 and result.passed  # Flückiger et al. 2018: 0.28


@pytest.mark.xfail(strict=True, reason=f"{AT_POINT} (calibrated): at equal contact time "
                   "standardisation 0.2 to 0.5 lowers the goal share by 0.055 (interval "
                   "0.046 to 0.064) through the bond (-0.155), just past the 0.05 that "
                   "Webb et al.'s r = 0.02 allows; the point's own check seeds gave the "
                   "same (-0.055); 38% of 40 single runs at the defaults, 68% over the "
                   "posterior")
def test_5_scripting_at_equal_contact_time_changes_outcomes_little(verdicts):
    result = verdicts["5"]
    assert result.ci95[0] >= -0.05 and result.ci95[1] <= 0.05  # Webb et al. 2010
    assert result.passed


@pytest.mark.xfail(strict=True, reason="held out and not reproduced: from about 150 to 70 "
                   "job seekers a caseworker the registered spell shortens by 231 days "
                   "(interval 216 to 246), not about 10 (60 in Böheim et al.): the "
                   "freed hours all become contact, and the work preset's hand-set "
                   "caseworker route makes contact potent; 0% of single runs at the "
                   "defaults or over the posterior (ODD, pattern 6)")
def test_6_fewer_job_seekers_per_caseworker_shorten_unemployment_by_days_to_weeks(verdicts):
    result = verdicts["6"]
    assert 1 <= result.value <= 70  # Hainmueller et al. 2016: ~10 days; Böheim et al.: 60
    assert result.details["relative cut"] < 0.2 and result.passed


@pytest.mark.xfail(strict=True, reason=f"{AT_POINT} (calibrated): the overloaded team's "
                   "turnover is 0.152 a year (interval 0.121 to 0.182), below US GAO's "
                   "20-40%, which the posterior as a whole does not reach either (its "
                   "predictive median 0.17); 0% of 40 single runs at the defaults, 5% "
                   "over the posterior")
def test_7_overload_drives_turnover_and_burnout_into_the_observed_ranges(verdicts):
    result = verdicts["7"]
    assert 0.20 <= result.value <= 0.40  # US GAO 2003: 20-40% a year
    assert 0.10 <= result.details["burnout prevalence, overloaded"] <= 0.30
    assert result.passed


def test_8_groups_in_place_of_one_to_one_do_about_as_well_for_less_time(verdicts):
    result = verdicts["8"]
    assert 0.9 <= result.value <= 1.25  # Burlingame et al. 2016: g = -0.01
    assert result.details["its 95% interval, upper end"] < 1 and result.passed


@pytest.mark.xfail(strict=True, reason="held out and not reproduced: the odds of burnout "
                   "rise 1.74 times (95% interval 1.56 to 1.94) for a sixth more patients "
                   "per professional, above Aiken's 1.13-1.34 per extra patient at 6; "
                   "12% of 40 single runs at the defaults, 25% over the posterior")
def test_9_each_extra_patient_per_professional_raises_the_odds_of_burnout(verdicts):
    result = verdicts["9"]
    assert 1.13 <= result.value <= 1.34 and result.passed  # Aiken et al. 2002: OR 1.23
    assert (result.details["staffing x0.9: share burnt out"]
            > result.details["staffing x1.5: share burnt out"])


def test_10_about_one_appointment_in_eight_is_missed(verdicts):  # calibrated
    result = verdicts["10"]
    assert 0.059 <= result.value <= 0.199 and result.passed  # Parsons et al. 2021: 0.129


@pytest.mark.xfail(strict=True, reason=f"{AT_POINT} (calibrated base): a quarter more "
                   "staff for the same clients of an overloaded team raises the goal "
                   "share by 0.177 (interval 0.062 to 0.292), more than the modest 0.15 "
                   "allowed, as burnout falls by 0.39; stress, burnout and turnover fall; "
                   "42% of 40 single runs at the defaults, 44% over the posterior")
def test_l1_more_staff_for_the_same_clients_helps_modestly(verdicts):
    result = verdicts["L1"]
    assert 0 < result.value < 0.15
    assert all(change < 0 for change in result.details.values()) and result.passed


def test_l2_admin_automation_helps_where_time_binds(verdicts):
    result = verdicts["L2"]
    assert result.value > 0.02 and abs(result.details["change at a light load"]) < 0.02
    assert result.passed


@pytest.mark.xfail(strict=True, reason=f"held out and {AT_POINT}: at standardisation 0.8 "
                   "the care preset keeps 0.43 of its goal share (interval 0.39 to 0.47): "
                   "open contact per client-week falls from 0.52 to 0.19 hours, the bond "
                   "from 0.43 to 0.11, drop-out from 0.16 to 0.64, and the team tips (a "
                   "waiting list of 142, burnout 0.17 to 0.64); with the team kept whole "
                   "it keeps 0.76: the stress it raises sets off the staff cascade; 0% of "
                   "40 single runs at the defaults, 85% over the posterior below its "
                   "tipping point (ODD, L3)")
def test_l3_standardisation_costs_the_bond_but_never_wipes_out_care(verdicts):
    result = verdicts["L3"]
    assert result.value > 0.5 and result.details["bond change"] < 0 and result.passed


def test_l3_standardisation_alone_keeps_most_of_care_and_the_staff_cascade_costs_more(
        verdicts):
    """With nobody burning out or quitting, standardisation's own path (less open time,
    a weaker bond, more drop-out) keeps over half the goal share, as the evidence has
    it; whatever the cascade adds comes on top and never gives back."""
    details = verdicts["L3"].details
    whole = details["goal share kept with the team kept whole (no burnout or quitting)"]
    assert 0.5 < whole < 1.0 and whole >= verdicts["L3"].value
    assert details["waiting list, standardised, team whole"] <= details[
        "waiting list, standardised"]


def test_l4_ruptures_visibly_cost_outcomes(verdicts):
    assert verdicts["L4"].value > 0.01 and verdicts["L4"].passed


def test_l5_a_chatbot_never_adds_human_contact(verdicts):
    result = verdicts["L5"]
    assert result.value <= 1.02 and result.details["hours needed, ratio"] < 1
    assert result.passed


def test_l6_jobs_helps_by_well_under_a_factor_two_most_for_the_demoralised(verdicts):
    result = verdicts["L6"]
    assert 1.0 < result.value < 2.0  # Liu et al. 2014: about 30% to 53%
    assert (result.details["gain, least motivated third"]
            > result.details["gain, most motivated third"])
    assert result.passed


def test_l7_network_time_brings_placements_sooner(verdicts):
    assert verdicts["L7"].value > 0 and verdicts["L7"].passed


def test_l8_client_voice_lowers_drop_out(verdicts):
    assert verdicts["L8"].value > 0 and verdicts["L8"].passed


def test_l9_stress_burnout_and_turnover_rise_with_arrivals_in_every_preset(verdicts):
    result = verdicts["L9"]
    assert all(rise > 0 for rise in result.details.values()) and result.passed


def test_l10_a_surge_outlasts_itself(verdicts):
    assert verdicts["L10"].value > 0.1 and verdicts["L10"].passed


def test_l11_classes_a_third_smaller_raise_attainment_modestly(verdicts):
    result = verdicts["L11"]
    # STAR's 0.15-0.25 SD (Krueger 1999) over a year's 1.0-1.5 SD (Hill et al. 2008)
    assert 0.10 <= result.value <= 0.26
    assert result.details["pupils per teacher, smaller classes"] < 17  # STAR: 13-17
    assert result.details["stress change"] < 0 and result.passed


def test_the_same_seed_gives_the_same_report():
    first = validate(3, 7, patterns=PATTERNS[:1], workers=1)[0]
    again = validate(3, 7, patterns=PATTERNS[:1], workers=2)[0]
    other = validate(3, 8, patterns=PATTERNS[:1], workers=1)[0]
    assert report(first) == report(again)
    assert report(first) != report(other)
