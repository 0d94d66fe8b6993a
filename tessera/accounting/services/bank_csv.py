"""Reading bank statements exported as CSV: encoding, delimiter, header row, the column mapping and
each row's date and signed amount. Pure functions, no database: services.bank_import builds on them.

Chinese banks export GBK/GB18030 (often with a few lines of account details above the header, a
`="0123"` wrapper that keeps long numbers as text, and separate 借方/贷方 columns); others UTF-8 with
or without a BOM. Cells are only read as text, dates and decimals: never evaluated.

A mapping names the columns by their header text:
    {"date": "交易日期", "amount": "", "withdrawal": "借方发生额", "deposit": "贷方发生额", "direction": "",
     "reference": "流水号", "description": ["摘要", "用途"], "partner_name": "对方户名",
     "partner_account": "对方账号", "balance": "余额",
     "date_format": "auto", "decimal_separator": ".", "thousands_separator": ",",
     "encoding": "auto", "delimiter": "auto", "header_row": "auto"}
`amount` is signed (money in positive), or `withdrawal` (借方/支出, money out) and `deposit` (贷方/收入,
money in) hold unsigned amounts, or `amount` with a `direction` column (借/贷, D/C, 支出/收入).
"""

import csv
import datetime
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core.errors import ValidationFailed

MAX_FILE_SIZE = 5 * 1024 * 1024
MAX_ROWS = 20000
HEADER_SEARCH_ROWS = 30
COLUMN_KEYS = ("date", "amount", "withdrawal", "deposit", "direction", "reference", "description", "partner_name",
               "partner_account", "balance")
OPTION_DEFAULTS = {"date_format": "auto", "decimal_separator": ".", "thousands_separator": ",", "encoding": "auto",
                   "delimiter": "auto", "header_row": "auto"}
COLUMN_LABELS = {
    "date": gettext_lazy("Date"),
    "amount": gettext_lazy("Amount (signed, money in positive)"),
    "withdrawal": gettext_lazy("Money out (withdrawal, 借方/支出)"),
    "deposit": gettext_lazy("Money in (deposit, 贷方/收入)"),
    "direction": gettext_lazy("Direction (借/贷, D/C) of the amount"),
    "reference": gettext_lazy("Reference"),
    "description": gettext_lazy("Description"),
    "partner_name": gettext_lazy("Counterparty name"),
    "partner_account": gettext_lazy("Counterparty account"),
    "balance": gettext_lazy("Balance"),
}
# strptime formats and how they look.
DATE_FORMATS = {
    "%Y-%m-%d": "2026-11-24", "%Y/%m/%d": "2026/11/24", "%Y%m%d": "20261124", "%Y.%m.%d": "2026.11.24",
    "%Y年%m月%d日": "2026年11月24日", "%d/%m/%Y": "24/11/2026", "%m/%d/%Y": "11/24/2026", "%d.%m.%Y": "24.11.2026",
    "%d-%m-%Y": "24-11-2026",
}
DECIMAL_SEPARATORS = {".": gettext_lazy("Point (1234.50)"), ",": gettext_lazy("Comma (1234,50)")}
THOUSANDS_SEPARATORS = {",": gettext_lazy("Comma (1,234)"), ".": gettext_lazy("Point (1.234)"),
                        " ": gettext_lazy("Space (1 234)"), "'": gettext_lazy("Apostrophe (1'234)"),
                        "": gettext_lazy("None")}
ENCODINGS = {"auto": gettext_lazy("Detect"), "utf-8": "UTF-8", "gb18030": "GBK / GB18030", "utf-16": "UTF-16"}
DELIMITERS = {"auto": gettext_lazy("Detect"), ",": gettext_lazy("Comma"), ";": gettext_lazy("Semicolon"),
              "\t": gettext_lazy("Tab"), "|": gettext_lazy("Vertical bar")}

# Header texts (normalised: lower case, no spaces or units) that name each column, most specific first.
HEADER_SYNONYMS = {
    "date": ["交易日期", "记账日期", "入账日期", "交易日", "记账日", "日期", "交易时间", "date", "transactiondate",
             "bookingdate", "postingdate", "valuedate"],
    "withdrawal": ["借方发生额", "借方金额", "支出金额", "付款金额", "支出", "借方", "debit", "debitamount",
                   "withdrawal", "withdrawals", "moneyout", "paidout"],
    "deposit": ["贷方发生额", "贷方金额", "收入金额", "收款金额", "存入金额", "收入", "存入", "贷方", "credit",
                "creditamount", "deposit", "deposits", "moneyin", "paidin"],
    "amount": ["交易金额", "发生额", "金额", "amount", "transactionamount"],
    "direction": ["借贷标志", "借贷方向", "收支方向", "借贷", "收支", "direction", "dr/cr", "debit/credit"],
    "balance": ["账户余额", "当前余额", "余额", "balance", "runningbalance"],
    "reference": ["交易流水号", "流水号", "业务参考号", "交易参考号", "参考号", "凭证号", "交易序号", "reference",
                  "ref", "transactionid", "referencenumber"],
    "description": ["摘要", "交易摘要", "用途", "附言", "备注", "交易类型", "description", "memo", "narrative",
                    "details", "particulars"],
    "partner_name": ["对方户名", "对方账户名", "对方名称", "对方单位", "收/付方名称", "对方户名称", "counterparty",
                     "counterpartyname", "payee", "payer", "name"],
    "partner_account": ["对方账号", "对方账户", "收/付方账号", "对方卡号", "counterpartyaccount", "accountnumber"],
}
OUT_MARKS = {"借", "d", "dr", "debit", "支出", "支", "付", "出", "-", "out", "withdrawal"}
IN_MARKS = {"贷", "c", "cr", "credit", "收入", "收", "入", "+", "in", "deposit"}
SUMMARY_WORDS = ("合计", "总计", "小计", "本页合计", "total", "期初余额", "期末余额", "openingbalance",
                 "closingbalance")
CURRENCY_MARKS = ("cny", "rmb", "usd", "eur", "hkd", "gbp", "jpy", "¥", "$", "€", "£", "元")
AMOUNT_PATTERN = re.compile(r"^(\d+(\.\d*)?|\.\d+)$")
CENT = Decimal("0.01")
LIMIT = Decimal("1e15")


@dataclass
class ParsedRow:
    """One data row of the file: `row` is its number in the file (1 = the first line)."""

    row: int
    date: datetime.date | None = None
    amount: Decimal | None = None
    reference: str = ""
    description: str = ""
    partner_name: str = ""
    partner_account: str = ""
    balance: Decimal | None = None
    error: str = ""
    skipped: str = ""  # why a row holds no transaction (a total, a zero amount)
    import_key: str = ""


@dataclass
class ParsedFile:
    """What reading a file gave: its layout, the mapping used, the rows (chronological) and problems."""

    encoding: str = ""
    delimiter: str = ""
    header_row: int = 0
    headers: list[str] = field(default_factory=list)
    mapping: dict = field(default_factory=dict)
    mapping_source: str = ""  # given, saved or guessed
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # file-level problems (nothing can be imported)
    warnings: list[str] = field(default_factory=list)
    file_hash: str = ""
    mapping_errors: dict = field(default_factory=dict)  # `mapping.<key>` -> messages: no row was read

    @property
    def transactions(self) -> list[ParsedRow]:
        return [row for row in self.rows if not row.error and not row.skipped]

    @property
    def row_errors(self) -> list[ParsedRow]:
        return [row for row in self.rows if row.error]


# --- Text ------------------------------------------------------------------------------------------

def normalise_header(text: str) -> str:
    """A header as compared with the synonyms: NFKC, lower case, without spaces and units such as (元)."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = re.sub(r"\((元|人民币|rmb|cny|usd)\)", "", text)
    return re.sub(r"[\s_:：]", "", text)


def clean_cell(value: str) -> str:
    """A cell's text: trimmed, the tab some banks prefix and Excel's ="0123" text wrapper removed."""
    text = (value or "").replace("\ufeff", "").strip().strip("\t").strip()
    match = re.fullmatch(r'=\s*"(.*)"', text)
    if match:
        text = match.group(1).strip()
    return text


def normalise_name(text: str) -> str:
    """A name compared loosely: NFKC, lower case, without spaces and punctuation."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return re.sub(r"[\s\W_]+", "", text)


def digits(text: str) -> str:
    return re.sub(r"\D", "", text or "")


# --- File ------------------------------------------------------------------------------------------

def file_hash(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def check_size(content: bytes) -> None:
    """Refuse an empty or too large file (ValidationFailed on `file`)."""
    if not content:
        raise ValidationFailed(fields={"file": [_("The file is empty.")]})
    if len(content) > MAX_FILE_SIZE:
        raise ValidationFailed(fields={"file": [_("The file is larger than %(size)s MB: split the statement.")
                                                % {"size": MAX_FILE_SIZE // (1024 * 1024)}]})


def decode(content: bytes, encoding: str = "auto") -> tuple[str, str]:
    """The text of the file and the encoding it was read with. Raises ValidationFailed (`file`) for a
    workbook, a PDF, a binary file, or text in none of UTF-8, UTF-16 and GBK/GB18030."""
    if content.startswith(b"PK\x03\x04") or content.startswith(b"\xd0\xcf\x11\xe0"):
        raise ValidationFailed(fields={"file": [_("This is an Excel workbook: save the statement as CSV and import "
                                                  "that file.")]})
    if content.startswith(b"%PDF"):
        raise ValidationFailed(fields={"file": [_("This is a PDF: ask the bank for the statement as CSV.")]})
    utf16 = content.startswith((b"\xff\xfe", b"\xfe\xff"))
    if encoding == "auto":
        if utf16:
            candidates = ["utf-16"]
        elif content.startswith(b"\xef\xbb\xbf"):
            candidates = ["utf-8-sig"]
        else:
            candidates = ["utf-8", "gb18030"]
    else:
        candidates = ["utf-8-sig" if encoding == "utf-8" else encoding]
    if b"\x00" in content and not (utf16 or encoding == "utf-16"):
        raise ValidationFailed(fields={"file": [_("This is not a text file: export the statement as CSV.")]})
    for candidate in candidates:
        try:
            text = content.decode(candidate)
        except (UnicodeDecodeError, LookupError):
            continue
        return text, "utf-8" if candidate == "utf-8-sig" else candidate
    if encoding == "auto":
        message = _("The file is neither UTF-8 nor GBK text: export the statement as CSV.")
    else:
        message = _("The file cannot be read as %(encoding)s: choose another encoding.") % {"encoding": encoding}
    raise ValidationFailed(fields={"file": [message]})


def sniff_delimiter(text: str) -> str:
    """The delimiter of the file: the one that splits most lines into the same number (above one) of
    cells, among comma, semicolon, tab and vertical bar."""
    lines = [line for line in text.splitlines()[:60] if line.strip()]
    best, best_score = ",", -1
    for delimiter in (",", "\t", ";", "|"):
        counts = [len(next(csv.reader([line], delimiter=delimiter), [])) for line in lines]
        wide = [count for count in counts if count > 1]
        if not wide:
            continue
        common = max(set(wide), key=wide.count)
        score = wide.count(common) * 1000 + common
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_records(text: str, delimiter: str) -> list[list[str]]:
    """The CSV records as lists of cleaned cells. Raises ValidationFailed for a malformed file."""
    try:
        records = [[clean_cell(cell) for cell in record]
                   for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as error:
        raise ValidationFailed(fields={"file": [_("The file is not valid CSV: %(error)s") % {"error": error}]}) \
            from None
    if len(records) > MAX_ROWS:
        raise ValidationFailed(fields={"file": [_("The file has more than %(count)s rows: split the statement.")
                                                % {"count": MAX_ROWS}]})
    return records


def _header_hits(record: list[str]) -> int:
    known = {synonym for synonyms in HEADER_SYNONYMS.values() for synonym in synonyms}
    return sum(1 for cell in record if normalise_header(cell) in known)


def find_header(records: list[list[str]]) -> int:
    """The index of the header record: the first of the first rows naming two known columns or more
    (bank exports often start with account details), else the first non-empty one."""
    for index, record in enumerate(records[:HEADER_SEARCH_ROWS]):
        if _header_hits(record) >= 2:
            return index
    return next((index for index, record in enumerate(records) if any(record)), 0)


# --- Mapping ---------------------------------------------------------------------------------------

def guess_mapping(headers: list[str]) -> dict:
    """A mapping guessed from Chinese and English header texts (exact names first, then containment)."""
    normalised = [normalise_header(header) for header in headers]
    taken: set[int] = set()
    mapping: dict = {key: "" for key in COLUMN_KEYS}
    mapping["description"] = []

    def find(synonyms, exact: bool):
        for synonym in synonyms:
            for index, header in enumerate(normalised):
                if index in taken or not header:
                    continue
                if header == synonym or (not exact and len(synonym) >= 2 and synonym in header
                                         and not synonym.isascii()):
                    return index
        return None

    for exact in (True, False):
        for key in ("date", "withdrawal", "deposit", "balance", "amount", "direction", "reference", "partner_account",
                    "partner_name"):
            if mapping[key]:
                continue
            index = find(HEADER_SYNONYMS[key], exact)
            if index is not None:
                mapping[key] = headers[index]
                taken.add(index)
    for synonym in HEADER_SYNONYMS["description"]:
        for index, header in enumerate(normalised):
            if index not in taken and header == synonym:
                mapping["description"].append(headers[index])
                taken.add(index)
    if mapping["withdrawal"] and mapping["deposit"]:
        mapping["amount"] = ""
    elif mapping["amount"]:
        mapping["withdrawal"] = mapping["deposit"] = ""
    return {**mapping, **OPTION_DEFAULTS}


def mapping_columns(mapping: dict) -> list[str]:
    """Every header a mapping names."""
    names = []
    for key in COLUMN_KEYS:
        value = mapping.get(key)
        names += list(value) if isinstance(value, list | tuple) else [value] if value else []
    return names


def has_columns(mapping: dict) -> bool:
    return any(mapping.get(key) for key in COLUMN_KEYS)


def clean_mapping(mapping: dict, headers: list[str]) -> tuple[dict, dict]:
    """The mapping with defaults filled in, and its field errors (`mapping.<key>`)."""
    errors: dict[str, list[str]] = {}
    if not isinstance(mapping, dict):
        return {}, {"mapping": [_("Send the mapping as an object.")]}
    unknown = set(mapping) - set(COLUMN_KEYS) - set(OPTION_DEFAULTS)
    for key in sorted(unknown):
        errors[f"mapping.{key}"] = [_("Unknown mapping key.")]
    clean = {**OPTION_DEFAULTS}
    for key in COLUMN_KEYS:
        value = mapping.get(key) or ([] if key == "description" else "")
        if key == "description" and isinstance(value, str):
            value = [value]
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(item, str) for item in values):
            errors[f"mapping.{key}"] = [_("Name the column by its header text.")]
            continue
        missing = [item for item in values if item and item not in headers]
        if missing:
            errors[f"mapping.{key}"] = [_("The file has no column “%(column)s”.") % {"column": missing[0]}]
        clean[key] = [item for item in values if item] if key == "description" else value
    options = {"date_format": ["auto", *DATE_FORMATS], "decimal_separator": list(DECIMAL_SEPARATORS),
               "thousands_separator": list(THOUSANDS_SEPARATORS), "encoding": list(ENCODINGS),
               "delimiter": list(DELIMITERS)}
    for key, allowed in options.items():
        value = mapping.get(key, OPTION_DEFAULTS[key])
        if value not in allowed:
            errors[f"mapping.{key}"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(
                repr(choice) for choice in allowed)}]
        else:
            clean[key] = value
    header_row = mapping.get("header_row", "auto")
    if header_row != "auto" and not (isinstance(header_row, int) and not isinstance(header_row, bool)
                                     and header_row >= 1) and not (isinstance(header_row, str) and header_row.isdigit()
                                                                   and int(header_row) >= 1):
        errors["mapping.header_row"] = [_("Give the number of the header row (1 = the first line), or auto.")]
    else:
        clean["header_row"] = header_row if header_row == "auto" else int(header_row)
    if clean["decimal_separator"] == clean["thousands_separator"]:
        errors["mapping.thousands_separator"] = [_("The thousands separator must differ from the decimal one.")]
    if not clean.get("date"):
        errors.setdefault("mapping.date", [_("Choose the column of the transaction date.")])
    one_amount = bool(clean.get("amount"))
    split = bool(clean.get("withdrawal") or clean.get("deposit"))
    if one_amount and split:
        errors.setdefault("mapping.amount", [_("Choose either one amount column or the money in and money out "
                                               "columns, not both.")])
    elif not one_amount and not split:
        errors.setdefault("mapping.amount", [_("Choose the amount column, or the money in and money out columns.")])
    if clean.get("direction") and not one_amount:
        errors.setdefault("mapping.direction", [_("A direction column goes with one amount column.")])
    return clean, errors


# --- Values ----------------------------------------------------------------------------------------

def parse_amount(text: str, decimal_separator: str = ".", thousands_separator: str = ",") -> Decimal | None:
    """A signed Decimal from a cell ("¥1,234.50", "-1 234,50", "(12.00)", "12.00-"); None when empty.
    Raises ValueError with the message for anything else (a formula is text, never evaluated)."""
    value = unicodedata.normalize("NFKC", text or "").strip().replace("\u2212", "-")
    if not value or value in {"-", "--", "—"}:
        return None
    original, negative = value, False
    if value.startswith("(") and value.endswith(")"):
        negative, value = True, value[1:-1]
    value = _strip_currency(value.replace(" ", "").replace("\u00a0", ""))
    if value.endswith("-"):
        negative, value = not negative, value[:-1]
    if value.startswith("-"):
        negative, value = not negative, value[1:]
    elif value.startswith("+"):
        value = value[1:]
    value = _strip_currency(value)
    if thousands_separator and thousands_separator != " ":
        value = value.replace(thousands_separator, "")
    if decimal_separator == ",":
        value = value.replace(",", ".")
    if not AMOUNT_PATTERN.match(value):
        raise ValueError(_("“%(value)s” is not an amount.") % {"value": original[:40]})
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise ValueError(_("“%(value)s” is not an amount.") % {"value": original[:40]}) from None
    if amount != amount.quantize(CENT):
        raise ValueError(_("“%(value)s” has more than two decimals.") % {"value": original[:40]})
    if amount >= LIMIT:
        raise ValueError(_("“%(value)s” is too large.") % {"value": original[:40]})
    return -amount.quantize(CENT) if negative else amount.quantize(CENT)


def _strip_currency(value: str) -> str:
    lowered = value.lower()
    for mark in CURRENCY_MARKS:
        if lowered.startswith(mark):
            value, lowered = value[len(mark):], lowered[len(mark):]
        if lowered.endswith(mark):
            value, lowered = value[: -len(mark)], lowered[: -len(mark)]
    return value.strip()


def _date_text(text: str) -> str:
    value = unicodedata.normalize("NFKC", text or "").strip()
    # A time after the date ("2026-11-24 10:23:11", "2026-11-24T10:23"): the date is what counts.
    return re.split(r"[\sT](?=\d{1,2}:)|\s+", value, maxsplit=1)[0] if value else ""


def parse_date(text: str, date_format: str) -> datetime.date:
    """The date of a cell in `date_format` (a strptime format). Raises ValueError with the message."""
    value = _date_text(text)
    try:
        return datetime.datetime.strptime(value, date_format).date()
    except ValueError:
        raise ValueError(_("“%(value)s” is not a date like %(example)s.")
                         % {"value": text[:40], "example": DATE_FORMATS.get(date_format, date_format)}) from None


def guess_date_format(values: list[str]) -> str:
    """The first date format reading every value (else the one reading the most)."""
    values = [value for value in values if value][:200]
    best, best_count = next(iter(DATE_FORMATS)), -1
    for date_format in DATE_FORMATS:
        count = 0
        for value in values:
            try:
                datetime.datetime.strptime(_date_text(value), date_format)
            except ValueError:
                continue
            count += 1
        if count == len(values) and values:
            return date_format
        if count > best_count:
            best, best_count = date_format, count
    return best


def guess_decimal_separator(values: list[str]) -> tuple[str, str]:
    """(decimal, thousands) separators: a comma before the last two digits and no point there means the
    European layout (1.234,50); otherwise point and comma."""
    comma = sum(1 for value in values if re.search(r",\d{1,2}\)?-?$", value.strip()))
    point = sum(1 for value in values if re.search(r"\.\d{1,2}\)?-?$", value.strip()))
    return (",", ".") if comma and not point else (".", ",")


def direction_sign(text: str) -> int | None:
    """-1 for money out (借, D, 支出), +1 for money in (贷, C, 收入), None when not recognised."""
    value = normalise_header(text)
    if value in OUT_MARKS:
        return -1
    if value in IN_MARKS:
        return 1
    return None


# --- The whole file ----------------------------------------------------------------------------------

def _cell(record: list[str], index: int | None) -> str:
    return record[index] if index is not None and index < len(record) else ""


def _is_summary(record: list[str]) -> bool:
    first = next((cell for cell in record if cell), "")
    return normalise_header(first).startswith(SUMMARY_WORDS)


def _amount_of(record, columns, mapping) -> Decimal | None:
    """The signed amount of a record (ValueError when unreadable or contradictory)."""
    separators = (mapping["decimal_separator"], mapping["thousands_separator"])
    if columns.get("amount") is not None:
        amount = parse_amount(_cell(record, columns["amount"]), *separators)
        if amount is not None and columns.get("direction") is not None:
            marker = _cell(record, columns["direction"])
            sign = direction_sign(marker)
            if sign is None:
                raise ValueError(_("“%(value)s” is neither money in nor money out.") % {"value": marker[:20]})
            amount = sign * abs(amount)
        return amount
    out = parse_amount(_cell(record, columns.get("withdrawal")), *separators)
    into = parse_amount(_cell(record, columns.get("deposit")), *separators)
    if out and into:
        raise ValueError(_("The row has both money in and money out."))
    if out is not None and out < 0 or into is not None and into < 0:
        # Some banks print withdrawals negative in their own column: the column says the direction.
        out, into = abs(out) if out is not None else None, abs(into) if into is not None else None
    if out:
        return -out
    if into:
        return into
    return out if out is not None else into


def import_key(row: ParsedRow, occurrence: int) -> str:
    """The fingerprint of a transaction: date, amount, reference, description, counterparty, and its
    occurrence among identical rows of one file (two equal fees the same day are two transactions)."""
    text = "|".join([row.date.isoformat(), f"{row.amount:f}", row.reference, row.description, row.partner_name,
                     row.partner_account, str(occurrence)])
    return hashlib.sha256(text.encode()).hexdigest()


def _parse_record(number: int, record: list[str], columns: dict, mapping: dict) -> ParsedRow:
    row = ParsedRow(row=number)
    texts = {key: _cell(record, index) for key, index in columns.items() if key != "description"}
    if _is_summary(record):
        row.skipped = _("a total or balance line")
        return row
    row.reference = texts.get("reference", "")[:100]
    row.description = " · ".join(text for text in (_cell(record, index) for index in columns["description"])
                                 if text)[:255]
    row.partner_name = texts.get("partner_name", "")[:200]
    row.partner_account = texts.get("partner_account", "")[:50]
    try:
        row.date = parse_date(texts["date"], mapping["date_format"]) if texts["date"] else None
        if row.date is None:
            raise ValueError(_("The date is missing."))
        row.amount = _amount_of(record, columns, mapping)
        if row.amount is None:
            raise ValueError(_("The amount is missing."))
        if columns.get("balance") is not None:
            row.balance = parse_amount(texts["balance"], mapping["decimal_separator"],
                                       mapping["thousands_separator"])
    except ValueError as error:
        row.error = str(error)
        return row
    if row.amount == 0:
        row.skipped = _("a zero amount")
    return row


def _chronological(rows: list[ParsedRow]) -> list[ParsedRow]:
    """Rows oldest first: a file listing the newest first is turned round (same-day order kept)."""
    dated = [row for row in rows if row.date is not None and not row.error and not row.skipped]
    if len(dated) > 1 and dated[0].date > dated[-1].date:
        return list(reversed(rows))
    return rows


def _balance_warnings(rows: list[ParsedRow]) -> list[str]:
    warnings, previous = [], None
    for row in rows:
        if row.balance is None:
            continue
        if previous is not None and previous.balance + row.amount != row.balance:
            warnings.append(_("Row %(row)s: the balance %(balance)s is not the previous balance %(previous)s plus the "
                              "amount %(amount)s.") % {"row": row.row, "balance": row.balance,
                                                       "previous": previous.balance, "amount": row.amount})
        previous = row
    if len(warnings) > 3:
        warnings = warnings[:3] + [_("… and %(count)s more rows whose balance does not follow.")
                                   % {"count": len(warnings) - 3}]
    return warnings


def _unique_headers(record: list[str]) -> list[str]:
    """Header texts made unique: an empty header is named by its position, a repeated one numbered."""
    headers: list[str] = []
    for position, header in enumerate(record, start=1):
        name = header or f"#{position}"
        while name in headers:
            name = f"{name} ({position})"
        headers.append(name)
    return headers


def parse_file(content: bytes, *, mapping: dict | None = None, saved: dict | None = None) -> ParsedFile:
    """Read a statement file with `mapping` (given), else `saved` (the bank account's) when the file has
    its columns, else a mapping guessed from the headers. Problems of the file raise ValidationFailed
    (`file`); a mapping that does not fit leaves `mapping_errors` and no rows; bad rows carry their error."""
    check_size(content)
    options = {**OPTION_DEFAULTS, **(saved or {}), **(mapping or {})}
    parsed = ParsedFile(file_hash=file_hash(content))
    text, parsed.encoding = decode(content, options.get("encoding", "auto")
                                   if options.get("encoding") in ENCODINGS else "auto")
    delimiter = options.get("delimiter", "auto")
    parsed.delimiter = sniff_delimiter(text) if delimiter not in DELIMITERS or delimiter == "auto" else delimiter
    records = read_records(text, parsed.delimiter)
    if not any(any(record) for record in records):
        raise ValidationFailed(fields={"file": [_("The file has no rows.")]})
    header_row = options.get("header_row", "auto")
    index = int(header_row) - 1 if str(header_row).isdigit() and int(header_row) >= 1 else find_header(records)
    if index >= len(records):
        raise ValidationFailed(fields={"mapping.header_row": [_("The file has only %(count)s rows.")
                                                              % {"count": len(records)}]})
    parsed.header_row, parsed.headers = index + 1, _unique_headers(records[index])
    if mapping and has_columns(mapping):
        chosen, parsed.mapping_source = {**OPTION_DEFAULTS, **mapping}, "given"
    elif saved and has_columns(saved) and set(mapping_columns(saved)) <= set(parsed.headers):
        chosen, parsed.mapping_source = {**saved, **(mapping or {})}, "saved"
    else:
        chosen, parsed.mapping_source = {**guess_mapping(parsed.headers), **(mapping or {})}, "guessed"
    clean, errors = clean_mapping(chosen, parsed.headers)
    if errors:
        parsed.mapping, parsed.mapping_errors = {**chosen, **clean}, errors
        return parsed
    data = [(number, record) for number, record in enumerate(records[index + 1:], start=index + 2) if any(record)]
    position = {header: n for n, header in enumerate(parsed.headers)}
    columns = {key: position.get(clean[key]) if clean[key] else None for key in COLUMN_KEYS if key != "description"}
    columns["description"] = [position[name] for name in clean["description"]]
    if clean["date_format"] == "auto":
        clean["date_format"] = guess_date_format([_cell(record, columns["date"]) for _number, record in data
                                                  if not _is_summary(record)])
    if parsed.mapping_source == "guessed" and not mapping:
        amount_columns = [columns[key] for key in ("amount", "withdrawal", "deposit", "balance")
                          if columns.get(key) is not None]
        samples = [_cell(record, column) for _number, record in data[:200] for column in amount_columns]
        clean["decimal_separator"], clean["thousands_separator"] = guess_decimal_separator(samples)
    parsed.mapping = clean
    parsed.rows = _chronological([_parse_record(number, record, columns, clean) for number, record in data])
    seen: dict[tuple, int] = {}
    for row in parsed.transactions:
        fingerprint = (row.date, row.amount, row.reference, row.description, row.partner_name, row.partner_account)
        seen[fingerprint] = seen.get(fingerprint, 0) + 1
        row.import_key = import_key(row, seen[fingerprint])
    if not parsed.transactions and not parsed.row_errors:
        parsed.errors.append(_("The file has no transactions under its header row %(row)s.")
                             % {"row": parsed.header_row})
    parsed.warnings += _balance_warnings(parsed.transactions)
    return parsed
