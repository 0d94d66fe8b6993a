"""Partners demo: tags, addresses (invoice and delivery), contacts and bank accounts on the demo partners
that the accounting demo creates (so this runs right after it).

Idempotent: tags are found by name; a partner that has addresses, contacts or bank accounts already keeps
them as they are.
"""

from tessera.core import demo

from .models import Partner, PartnerTag
from .services import partner_update
from .services_details import (
    partner_address_create,
    partner_bank_account_create,
    partner_contact_create,
    partner_tag_create,
)

# company -> {tag name: colour}
TAGS = {
    "CN01": {"重点客户": "danger", "华东": "info", "华南": "success", "物流": "secondary"},
    "US01": {"Key account": "danger", "West coast": "info"},
}


def _address(kind, street, city, province, postal_code, name=""):
    return {"kind": kind, "name": name, "street": street, "city": city, "province": province,
            "postal_code": postal_code}


def _contact(name, job_title, **data):
    return {"name": name, "job_title": job_title, **data}


def _bank(bank_name, branch, account_number, **data):
    return {"bank_name": bank_name, "branch": branch, "account_number": account_number, **data}


# company -> partner code -> (tags, addresses, contacts, bank accounts)
PARTNERS = {
    "CN01": {
        "C001": (["重点客户"], [
            _address("invoice", "中关村大街1号 海龙大厦8层", "北京市", "北京", "100080", name="总部"),
            _address("delivery", "顺义区空港工业区B区3号", "北京市", "北京", "101318", name="顺义仓库"),
        ], [
            _contact("刘建国", "采购经理", mobile="13801012345", email="liujg@huaxin.example.com"),
            _contact("陈晓红", "财务", phone="010-6255 8800 转 206", email="finance@huaxin.example.com"),
        ], [_bank("中国工商银行", "北京中关村支行", "0200 0045 0902 1234 567")]),
        "C002": (["华南"], [
            _address("invoice", "天河区天河路385号", "广州市", "广东省", "510620"),
        ], [_contact("黄志明", "总经理", mobile="13922233344")], []),
        "C003": (["华东", "重点客户"], [
            _address("invoice", "西湖区文三路90号", "杭州市", "浙江省", "310012"),
            _address("delivery", "萧山区经济技术开发区建设二路88号", "杭州市", "浙江省", "311215", name="萧山仓"),
        ], [
            _contact("周婷", "运营", mobile="13655556666", email="zhouting@yunfan.example.com"),
        ], [_bank("招商银行", "杭州分行", "5719 0123 4510 801")]),
        "S001": (["华东"], [
            _address("invoice", "工业园区星湖街328号", "苏州市", "江苏省", "215123"),
        ], [
            _contact("吴强", "销售经理", mobile="13912341234", email="wuqiang@jinggong.example.com"),
        ], [
            _bank("中国银行", "苏州工业园区支行", "5377 5820 1234"),
            _bank("中国银行", "苏州工业园区支行", "5377 5820 5678", currency="USD", swift_bic="BKCHCNBJ95H"),
        ]),
        "S002": (["物流", "华东"], [
            _address("invoice", "北仑区新碶街道明州路66号", "宁波市", "浙江省", "315800"),
        ], [_contact("郑伟", "调度", phone="0574-8688 1234")], [_bank("宁波银行", "北仑支行", "6101 0122 0000 7788")]),
    },
    "US01": {
        "C001": (["Key account"], [
            _address("invoice", "2000 Pike Street", "Seattle", "WA", "98101"),
            _address("delivery", "4500 Industry Drive", "Tacoma", "WA", "98424", name="Distribution center"),
        ], [
            _contact("Nancy Davolio", "Buyer", phone="+1 206 555 0100", email="nancy@northwind.example.com"),
        ], [_bank("Bank of America", "", "4830 1234 5678", swift_bic="BOFAUS3N")]),
        "S001": (["West coast"], [
            _address("invoice", "1 Contoso Way", "Redmond", "WA", "98052"),
        ], [_contact("Alex Wu", "Account manager", email="alex@contoso.example.com")], []),
    },
}


@demo.register(order=21)
def build_partner_details(ctx: demo.DemoContext) -> None:
    """Tags, addresses, contacts and bank accounts of the demo partners."""
    from tessera.core.models import Currency

    for company_code, partners in PARTNERS.items():
        company = ctx.companies[company_code]
        tags = {tag.name: tag for tag in PartnerTag.objects.filter(company=company)}
        for name, colour in TAGS[company_code].items():
            if name not in tags:
                tags[name] = partner_tag_create(actor=ctx.admin, company=company, data={"name": name, "colour": colour})
        for code, (tag_names, addresses, contacts, bank_accounts) in partners.items():
            partner = Partner.objects.filter(company=company, code=code).first()
            if partner is None:
                continue
            if not partner.tags.exists():
                partner_update(actor=ctx.admin, partner=partner, data={"tags": [tags[name] for name in tag_names]})
            if not partner.addresses.exists():
                for data in addresses:
                    partner_address_create(actor=ctx.admin, partner=partner, data=data)
            if not partner.contacts.exists():
                for data in contacts:
                    partner_contact_create(actor=ctx.admin, partner=partner, data=data)
            if not partner.bank_accounts.exists():
                for data in bank_accounts:
                    data = {**data, "currency": Currency.objects.get(code=data["currency"])} if "currency" in data \
                        else data
                    partner_bank_account_create(actor=ctx.admin, partner=partner, data=data)
