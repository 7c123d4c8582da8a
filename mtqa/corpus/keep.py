"""``--keep EXPR``: which pairs to keep, in a small expression language that is safe to
take from anyone.

An expression is parsed with Python's ``ast`` module and then *interpreted* node by
node; it is never compiled or evaluated, and anything outside this grammar is refused
before any pair is read:

- names: the row's columns (``quality``, ``estimate``, ``cosine``, ``length_ratio``,
  ``lang_ok``, ``minor``, ``major``, ``critical``, ``words``, ``penalty``,
  ``source_detected``, ...), a check's code (``AC01``: true when the pair has an
  issue of that check) and ``duplicate`` (true when an earlier pair, in input order,
  had the same ``dup_key``);
- literals: numbers, strings, ``True``, ``False``, ``None``, and lists or tuples of
  them (for ``in``);
- comparisons ``== != < <= > >= in not in`` (chained too: ``0.5 < length_ratio < 2``);
- ``and``, ``or``, ``not`` and a unary minus.

An ordering comparison (``<``, ``in``, ...) with a null value (``cosine`` without an
encoder) is false, as in SQL; ``estimate == None`` tests for a null.
Examples: ``quality >= 90 and not critical and lang_ok``, ``not duplicate and
0.5 <= length_ratio <= 2``, ``target_detected in ('de', 'en') and not AC02``.
"""
from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable, Mapping
from typing import Any

MAX_LENGTH = 2000
_CODE = re.compile(r"^[A-Z]{2}\d{2}$")
# Columns an expression may name (the nested issue list is reached through codes).
FIELDS = frozenset({
    "input", "index", "id", "source", "target", "reference", "source_lang", "target_lang",
    "source_detected", "target_detected", "lang_ok", "length_ratio", "dup_key", "words",
    "minor", "major", "critical", "penalty", "estimate", "cosine", "quality",
})
DERIVED = frozenset({"duplicate"})
_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge,
    ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b,
}


class KeepError(ValueError):
    """An expression outside the grammar, or naming something that is not a column."""


Row = Mapping[str, Any]


class Keep:
    """A parsed ``--keep`` expression: ``keep(row)`` says whether to keep the pair."""

    def __init__(self, text: str) -> None:
        if len(text) > MAX_LENGTH:
            raise KeepError(f"--keep: expression longer than {MAX_LENGTH} characters")
        try:
            tree = ast.parse(text.strip(), mode="eval")
        except SyntaxError as exc:
            raise KeepError(f"--keep: not an expression ({exc.msg}, column "
                            f"{exc.offset or 0})") from None
        except (RecursionError, MemoryError, ValueError):
            raise KeepError("--keep: expression too deeply nested") from None
        self.text = text
        self.names: set[str] = set()
        self._check(tree.body)
        self._tree = tree.body

    @property
    def codes(self) -> set[str]:
        """The check codes the expression names."""
        return {n for n in self.names if _CODE.match(n)}

    def __call__(self, row: Row) -> bool:
        return bool(self._eval(self._tree, row))

    # -- validation: everything is checked once, before any row is read
    def _check(self, node: ast.AST) -> None:
        if isinstance(node, ast.BoolOp):
            for value in node.values:
                self._check(value)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Not, ast.USub)):
            self._check(node.operand)
        elif isinstance(node, ast.Compare):
            if not all(type(op) in _COMPARE for op in node.ops):
                raise KeepError("--keep: unsupported comparison")
            for part in (node.left, *node.comparators):
                self._check(part)
        elif isinstance(node, ast.Name):
            if node.id not in FIELDS and node.id not in DERIVED and not _CODE.match(node.id):
                raise KeepError(f"--keep: unknown name {node.id!r} (columns: "
                                f"{', '.join(sorted(FIELDS | DERIVED))}, or a check code)")
            self.names.add(node.id)
        elif isinstance(node, ast.Constant):
            if not isinstance(node.value, (int, float, str, bool)) and node.value is not None:
                raise KeepError(f"--keep: unsupported literal {node.value!r}")
        elif isinstance(node, (ast.List, ast.Tuple)):
            for item in node.elts:
                if not isinstance(item, ast.Constant):
                    raise KeepError("--keep: a list may hold only literals")
                self._check(item)
        else:
            raise KeepError(f"--keep: {type(node).__name__} is not allowed (only "
                            "comparisons, and/or/not, names and literals)")

    # -- evaluation
    def _eval(self, node: ast.AST, row: Row) -> Any:
        if isinstance(node, ast.BoolOp):
            if isinstance(node.op, ast.And):
                return all(self._eval(v, row) for v in node.values)
            return any(self._eval(v, row) for v in node.values)
        if isinstance(node, ast.UnaryOp):
            value = self._eval(node.operand, row)
            if isinstance(node.op, ast.Not):
                return not value
            return None if value is None else -value
        if isinstance(node, ast.Compare):
            left = self._eval(node.left, row)
            for op, right_node in zip(node.ops, node.comparators):
                right = self._eval(right_node, row)
                if (left is None or right is None) and not isinstance(op, (ast.Eq, ast.NotEq)):
                    return False
                try:
                    if not _COMPARE[type(op)](left, right):
                        return False
                except TypeError:  # a string compared with a number: not a match
                    return False
                left = right
            return True
        if isinstance(node, ast.Name):
            if _CODE.match(node.id) and node.id not in row:
                return any(i["code"] == node.id for i in row.get("issues") or ())
            return row.get(node.id)
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, (ast.List, ast.Tuple)):
            return [self._eval(item, row) for item in node.elts]
        raise AssertionError(f"unchecked node {type(node).__name__}")  # pragma: no cover
