"""How a product names itself: its SKU and the name in the user's language."""

import pytest
from django.utils import translation

from .factories import ProductFactory

pytestmark = pytest.mark.django_db


def test_a_product_reads_in_english_in_an_english_ui_and_in_chinese_in_a_chinese_one(company):
    product = ProductFactory(company=company, sku="W-1", name="小部件", name_en="Widget")

    with translation.override("en"):
        assert str(product) == "[W-1] Widget"
    with translation.override("zh-hans"):
        assert str(product) == "[W-1] 小部件"


def test_without_an_english_name_the_chinese_name_serves_every_language(company):
    product = ProductFactory(company=company, sku="T-1", name="茶叶", name_en="")

    with translation.override("en"):
        assert str(product) == "[T-1] 茶叶"
