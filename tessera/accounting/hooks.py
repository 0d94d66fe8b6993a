"""Extension points of invoice posting for the modules above accounting (purchasing, sales).

They register from their AppConfig.ready; accounting never imports them:

- `register_invoice_post_guard(fn)`: `fn(invoice)` runs on the locked draft inside `invoice_post`'s
  transaction, after the approval check and before anything is written; it raises a domain error
  (e.g. a 409 Conflict) to refuse the posting. Example: purchasing's three-way match.
- `register_invoice_line_split(fn)`: `fn(invoice, line, amount)` gets a line's signed base amount
  (debit positive) and returns `[(account, amount, description), ...]` adding up to it, to post the line
  over several accounts, or None to leave it on its own account. Example: a bill line of a received
  order line goes to GR/IR at the received value and the price difference to its account.
- `register_invoice_posted(fn)` / `register_invoice_cancelled(fn)`: `fn(invoice)` after an invoice or
  credit note is posted / cancelled, in the same transaction (keep billed quantities, order states).
- `register_invoice_settled(fn)`: `fn(invoice)` when a payment, a credit note or their undoing changes
  what is paid of a posted invoice (its state may now be paid): an order can close once its bills are
  paid, whichever screen paid them.
"""

from collections.abc import Callable

POST_GUARDS: list[Callable] = []
LINE_SPLITS: list[Callable] = []
POSTED: list[Callable] = []
CANCELLED: list[Callable] = []
SETTLED: list[Callable] = []


def _add(registry: list, fn: Callable) -> Callable:
    if fn not in registry:
        registry.append(fn)
    return fn


def register_invoice_post_guard(fn: Callable) -> Callable:
    return _add(POST_GUARDS, fn)


def register_invoice_line_split(fn: Callable) -> Callable:
    return _add(LINE_SPLITS, fn)


def register_invoice_posted(fn: Callable) -> Callable:
    return _add(POSTED, fn)


def register_invoice_cancelled(fn: Callable) -> Callable:
    return _add(CANCELLED, fn)


def register_invoice_settled(fn: Callable) -> Callable:
    return _add(SETTLED, fn)


def line_split(invoice, line, amount) -> list[tuple] | None:
    """The first registered split that answers for this line, or None."""
    for fn in LINE_SPLITS:
        parts = fn(invoice, line, amount)
        if parts is not None:
            return parts
    return None
