"""argparse in Vietnamese: the console script's usage lines, help and errors.

argparse writes its own messages in English (through gettext, with no Vietnamese catalogue).
`ArgumentParser` here renders them in Vietnamese: the usage prefix and section titles in the
help, its `-h` option, and every error it raises, translated from argparse's message templates
(Python 3.11's, `Lib/argparse.py`). An unknown template stays as argparse wrote it rather than
being lost.
"""

import argparse
import re
import sys
from collections.abc import Callable, Iterable
from typing import Any, NoReturn

HELP = "hiện trợ giúp này rồi thoát"
TYPE_NAMES = {"int": "số nguyên", "float": "số"}


# (argparse's template as a pattern, its Vietnamese rendering); the first that matches wins.
_MESSAGES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(r"the following arguments are required: (?P<names>.+)", re.S),
        lambda m: f"thiếu tham số bắt buộc: {m['names']}",
    ),
    (
        re.compile(r"unrecognized arguments: (?P<args>.*)", re.S),
        lambda m: f"không hiểu tham số: {m['args']}",
    ),
    (
        re.compile(r"one of the arguments (?P<names>.+) is required", re.S),
        lambda m: f"cần một trong các tham số: {m['names']}",
    ),
    (
        re.compile(r"ambiguous option: (?P<option>\S+) could match (?P<matches>.+)", re.S),
        lambda m: f"tùy chọn {m['option']} không rõ ràng, có thể là: {m['matches']}",
    ),
    (
        re.compile(r"argument (?P<name>.+?): (?P<message>.+)", re.S),
        lambda m: f"tham số {m['name']}: {translate_detail(m['message'])}",
    ),
]
_DETAILS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(r"invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)", re.S),
        lambda m: f"giá trị {m['value']} không hợp lệ (chọn một trong: {m['choices']})",
    ),
    (
        re.compile(r"invalid (?P<type>\w+) value: (?P<value>.+)", re.S),
        lambda m: (
            f"giá trị {m['value']} không hợp lệ: cần một {TYPE_NAMES.get(m['type'], m['type'])}"
        ),
    ),
    (re.compile(r"expected one argument"), lambda _m: "cần một giá trị"),
    (re.compile(r"expected at most one argument"), lambda _m: "nhiều nhất một giá trị"),
    (re.compile(r"expected at least one argument"), lambda _m: "cần ít nhất một giá trị"),
    (re.compile(r"expected (?P<n>\d+) arguments?"), lambda m: f"cần {m['n']} giá trị"),
    (
        re.compile(r"not allowed with argument (?P<other>.+)", re.S),
        lambda m: f"không dùng cùng với {m['other']}",
    ),
    (
        re.compile(r"ignored explicit argument (?P<value>.+)", re.S),
        lambda m: f"tùy chọn này không nhận giá trị ({m['value']})",
    ),
]


def _first(
    rules: Iterable[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]], message: str
) -> str:
    for pattern, render in rules:
        match = pattern.fullmatch(message)
        if match:
            return render(match)
    return message


def translate(message: str) -> str:
    """An argparse error message in Vietnamese (unchanged if argparse wrote an unknown one)."""
    return _first(_MESSAGES, message)


def translate_detail(message: str) -> str:
    """What argparse says of one argument (after `argument X: `), in Vietnamese."""
    return _first(_DETAILS, message)


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter with the usage line's prefix in Vietnamese."""

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, "cách dùng: " if prefix is None else prefix)


class ArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser that speaks Vietnamese; its sub-command parsers are of this class too
    (argparse makes them with the parent's class)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        add_help = kwargs.get("add_help", True)
        kwargs["add_help"] = False  # argparse's own -h says it in English
        super().__init__(*args, **kwargs)
        self._positionals.title = "tham số"
        self._optionals.title = "tùy chọn"
        if add_help:
            self.add_argument("-h", "--help", action="help", help=HELP)

    def error(self, message: str) -> NoReturn:
        """Usage, then the error in Vietnamese, on standard error; exit status 2 (as argparse)."""
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: lỗi: {translate(message)}\n")
