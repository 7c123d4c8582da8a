"""Gettext ``Plural-Forms``: which counts each ``msgstr[n]`` of a catalogue is used for.

``Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && ... ? 1 : 2);``
is a C expression of ``n``. It is parsed here by a small precedence-climbing parser (never
``eval``) so that the PO reader knows whether form 0 only ever stands for the count 1
(English, German: compare it with ``msgid``) or for other counts too (Chinese and
Japanese have one form for every count; Russian uses form 0 for 21, 31...): then it must
hold the plural's placeholders, and is compared with ``msgid_plural``.
"""
from __future__ import annotations

import re
from collections.abc import Callable

Expr = Callable[[int], int]

_TOKEN = re.compile(r"\s*(?:(\d+)|(n)|(\|\||&&|==|!=|<=|>=|[-+*/%<>!?:()]))")
# Binary operators by precedence, loosest first (C's order).
_BINARY: list[dict[str, Callable[[int, int], int]]] = [
    {"||": lambda a, b: int(bool(a) or bool(b))},
    {"&&": lambda a, b: int(bool(a) and bool(b))},
    {"==": lambda a, b: int(a == b), "!=": lambda a, b: int(a != b)},
    {"<": lambda a, b: int(a < b), ">": lambda a, b: int(a > b),
     "<=": lambda a, b: int(a <= b), ">=": lambda a, b: int(a >= b)},
    {"+": lambda a, b: a + b, "-": lambda a, b: a - b},
    {"*": lambda a, b: a * b, "/": lambda a, b: a // b if b else 0,
     "%": lambda a, b: a % b if b else 0},
]
_MAX_TOKENS = 400
_HEADER = re.compile(r"nplurals\s*=\s*(\d{1,2})\s*;\s*plural\s*=\s*([^;\n]{1,600})")


class PluralFormsError(ValueError):
    """A ``Plural-Forms`` expression that does not parse."""


def parse(header: str) -> tuple[int, Expr] | None:
    """``(nplurals, plural)`` from a PO header's ``Plural-Forms`` line, or None when the
    header has none. Raises ``PluralFormsError`` for an expression that does not parse."""
    m = _HEADER.search(header)
    if m is None:
        return None
    try:
        return int(m.group(1)), _Parser(m.group(2)).parse()
    except RecursionError:  # "((((...n...))))" nested past the interpreter's stack
        raise PluralFormsError("plural expression nested too deeply") from None


def form_zero_is_singular(nplurals: int, plural: Expr) -> bool:
    """True when ``msgstr[0]`` is used for the count 1 only (English-like languages)."""
    if nplurals < 2:
        return False
    return all((plural(n) == 0) == (n == 1) for n in range(1001))


def _apply(op: Callable[[int, int], int], left: Expr, right: Expr) -> Expr:
    return lambda n: op(left(n), right(n))


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens: list[str] = []
        pos = 0
        text = text.strip()
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if m is None or len(self.tokens) > _MAX_TOKENS:
                raise PluralFormsError(f"cannot read plural expression {text[:60]!r}")
            self.tokens.append(m.group(m.lastindex or 0))
            pos = m.end()
        self.at = 0

    def parse(self) -> Expr:
        expr = self._ternary()
        if self.at != len(self.tokens):
            raise PluralFormsError(f"unexpected {self.tokens[self.at]!r} in plural expression")
        return expr

    def _peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def _take(self, expected: str | None = None) -> str:
        token = self._peek()
        if token is None or (expected is not None and token != expected):
            raise PluralFormsError(f"expected {expected or 'more'} in plural expression")
        self.at += 1
        return token

    def _ternary(self) -> Expr:
        cond = self._binary(0)
        if self._peek() != "?":
            return cond
        self._take("?")
        yes = self._ternary()
        self._take(":")
        no = self._ternary()
        return lambda n: yes(n) if cond(n) else no(n)

    def _binary(self, level: int) -> Expr:
        if level == len(_BINARY):
            return self._unary()
        left = self._binary(level + 1)
        while self._peek() in _BINARY[level]:
            op = _BINARY[level][self._take()]
            right = self._binary(level + 1)
            left = _apply(op, left, right)
        return left

    def _unary(self) -> Expr:
        token = self._take()
        if token == "!":
            inner = self._unary()
            return lambda n: int(not inner(n))
        if token == "(":
            inner = self._ternary()
            self._take(")")
            return inner
        if token == "n":
            return lambda n: n
        if token.isdigit():
            value = int(token)
            return lambda n: value
        raise PluralFormsError(f"unexpected {token!r} in plural expression")
