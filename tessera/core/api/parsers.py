"""JSON parsing that refuses floats: money, quantities and rates come as decimal strings."""

import json
from decimal import Decimal

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class StrictJSONParser(JSONParser):
    """Parse JSON numbers with a fraction as Decimal, so nothing is ever a float."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", "utf-8")
        try:
            return json.loads(stream.read().decode(encoding), parse_float=Decimal)
        except (ValueError, UnicodeDecodeError) as error:
            raise ParseError(_("Malformed JSON: %(error)s") % {"error": error}) from error
