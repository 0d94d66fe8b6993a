"""The books' invariants, as checks any module registers and `tessera check-books` runs.

A check is `func(company) -> list[str]`: the problems it finds in that company's books (empty when
all is well). Checks only read. Accounting registers the ledger's (entries balance, balances equal
lines, the hash chain, control accounts); later modules add theirs (stock equals moves, ...).
"""

from collections.abc import Callable

Check = Callable[[object], list[str]]

CHECKS: dict[str, Check] = {}


def register_check(name: str, func: Check) -> Check:
    """Register `func` under `name` (registering a name again replaces it: modules are imported once)."""
    CHECKS[name] = func
    return func


def run_checks(company) -> list[tuple[str, str]]:
    """Run every registered check on `company`, in name order; returns (check name, problem) pairs."""
    return [(name, problem) for name in sorted(CHECKS) for problem in CHECKS[name](company)]
