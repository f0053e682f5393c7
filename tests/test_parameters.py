"""The closed parameter set: one declaration per parameter, validated at the boundary."""

import re

import pytest

from model.parameters import GROUPS, ParameterError, Parameters, parse_value, specs

REQUIRED = ("professionals", "caseload_cap", "arrivals_per_week", "hours_per_week",
            "admin_hours_fixed", "admin_hours_per_client", "standardisation", "automation",
            "automated_contact_share", "network_hours", "group_programme", "client_voice",
            "weeks")


def test_the_public_parameters_exist_with_their_ranges():
    declared = specs()
    for name in REQUIRED:
        assert name in declared
    for name in ("standardisation", "automation", "automated_contact_share", "client_voice"):
        assert (declared[name][2].low, declared[name][2].high) == (0, 1)
    assert declared["group_programme"][1] is bool


def test_every_parameter_has_unit_source_labels_and_a_valid_default():
    for name, (default, kind, spec) in specs().items():
        assert spec.unit and spec.source and spec.en and spec.nl, name
        assert spec.group in GROUPS, name
        assert isinstance(default, kind), name
        if kind is not bool:
            assert spec.low <= default <= spec.high, name


def test_every_parameter_names_its_source_or_says_it_is_an_assumption():
    # A citation key of the seed articles, a year of a cited study or report, or the
    # words that say what kind of value it is: nothing is left unexplained.
    says = re.compile(r"\[00\d\]|\b(19|20)\d\d\b|Assumption|assumption|Calibrated|Lever|"
                      r"Choice of the run")
    unexplained = [name for name, (_, _, spec) in specs().items() if not says.search(spec.source)]
    assert unexplained == []


def test_unknown_name_suggests_the_closest():
    with pytest.raises(ParameterError, match=r"unknown parameter 'caseload'.*'caseload_cap'"):
        Parameters.from_mapping({"caseload": 20})


def test_out_of_range_names_the_range():
    with pytest.raises(ParameterError, match=r"standardisation=1.5 is out of range; allowed "
                                             r"\[0, 1\]"):
        Parameters.from_mapping({"standardisation": 1.5})


@pytest.mark.parametrize("name, value", [("professionals", 2.5), ("professionals", "ten"),
                                         ("group_programme", 1), ("hours_per_week", True)])
def test_wrong_types_are_refused(name, value):
    with pytest.raises(ParameterError, match=name):
        Parameters.from_mapping({name: value})


def test_fixed_admin_above_contract_hours_is_impossible():
    with pytest.raises(ParameterError, match="admin_hours_fixed=40 exceeds hours_per_week=36"):
        Parameters(admin_hours_fixed=40.0)


def test_pupils_cannot_have_a_route_of_their_own():
    with pytest.raises(ParameterError, match=r"own_goal_rate=0\.01 must be 0 in school years"):
        Parameters(school_year_weeks=40, own_goal_rate=0.01)


def test_whole_floats_become_ints_and_ints_floats():
    p = Parameters.from_mapping({"professionals": 12.0, "hours_per_week": 32})
    assert p.professionals == 12 and type(p.professionals) is int
    assert type(p.hours_per_week) is float


@pytest.mark.parametrize("text, expected", [("true", True), ("off", False), ("30", 30),
                                            ("0.5", 0.5)])
def test_command_line_values_are_parsed_by_type(text, expected):
    name = {bool: "group_programme", int: "caseload_cap", float: "client_voice"}[type(expected)]
    assert parse_value(name, text) == expected


def test_command_line_value_of_wrong_type():
    with pytest.raises(ParameterError, match="client_voice='lots' must be a number"):
        parse_value("client_voice", "lots")


def test_employability_is_for_job_seekers_only():
    with pytest.raises(ParameterError, match="employability_spread=1 needs an own route"):
        Parameters(employability_spread=1.0)
    assert Parameters(employability_spread=1.0, own_goal_rate=0.002).employability_spread == 1
