"""The command line refuses nonsense before any work starts: a clear message naming the argument, exit 2."""

from __future__ import annotations

import argparse
from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callroute.cli import build_parser, iso_time, main


@pytest.mark.parametrize(
    ("argv", "named", "said"),
    [
        (["monitor", "--since", "banana"], "--since", "not 'banana'"),
        (["audit", "export", "--since", "banana"], "--since", "ISO 8601"),
        (["replay", "--version", "1", "--until", "2024-13-45"], "--until", "ISO 8601"),
        (["train", "--config", "nope.toml"], "--config", "no such file: nope.toml"),
        (["train", "--data", "nowhere.csv"], "--data", "no such file"),
        (["predict", "--narrative", "x", "--priority", "12"], "--priority", "between 1 and 9"),
        (["predict", "--narrative", "x", "--received-at", "yesterday"], "--received-at", "ISO 8601"),
        (["predict", "--narrative", "x", "--caller-type", "neighbour"], "--caller-type", "invalid choice"),
        (["serve", "--port", "0"], "--port", "between 1 and 65535"),
        (["data", "synth", "--rows", "-5"], "--rows", "at least 1"),
        (["audit", "purge", "--older-than-days", "zero"], "--older-than-days", "whole number"),
        (["audit", "purge", "--older-than-days", "-1"], "--older-than-days", "at least 0"),
    ],
)
def test_nonsense_arguments_exit_2_naming_the_argument(argv, named, said, capsys) -> None:
    # Given an argument no command can use, When the command line reads it
    code = main(argv)
    # Then it stops with exit 2 and one line that names the argument and what was wrong with it
    error = capsys.readouterr().err
    assert code == 2, error
    assert f"argument {named}" in error and said in error, error


@given(st.datetimes())
def test_every_iso_time_is_accepted_as_written(moment: datetime) -> None:
    for text in (moment.isoformat(), moment.date().isoformat()):
        assert iso_time(text) == text


@given(st.text(max_size=20))
def test_a_text_that_is_no_iso_time_is_refused_with_a_reason(text: str) -> None:
    try:
        datetime.fromisoformat(text)
    except ValueError:
        with pytest.raises(argparse.ArgumentTypeError, match="ISO 8601"):
            iso_time(text)
    else:
        assert iso_time(text) == text


def _options(parser: argparse.ArgumentParser, path: str = "callroute"):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _options(sub, f"{path} {name}")
        elif not isinstance(action, argparse._HelpAction):
            yield path, action


def test_help_exits_0(capsys) -> None:
    assert main(["train", "--help"]) == 0
    assert "--config" in capsys.readouterr().out


def test_every_option_and_argument_says_what_it_is() -> None:
    # Given every command's parser, When its arguments are listed, Then each has help text (for --help)
    missing = [f"{path} {action.option_strings or action.dest}" for path, action in _options(build_parser())
               if not action.help]
    assert not missing, f"no help text: {missing}"
