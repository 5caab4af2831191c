"""Choosing an institution (issue 10): search by name, 登记号 or pinyin initials, limited to institutions
whose region fits the business type (``registrations.selectors.institution_options_for``)."""

import pytest

from docregsys.reference.models import Level
from institutions.models import Institution
from registrations.models import Kind, PracticeRecord
from registrations.selectors import institution_options_for
from tests.applications import registered_doctor
from tests.factories import ExtraLocationFactory, FilingFactory, InstitutionFactory

pytestmark = pytest.mark.django_db


def names(kind, records=(), query="", **kwargs) -> list[str]:
    return [i.name for i in institution_options_for(kind=kind, person_records=records, query=query, **kwargs)]


def test_the_initials_are_kept_by_save(x):
    """Institution.name_initials follows the name on every save (the picker's indexed column)."""
    assert x.name_initials == "fryy"
    x.name = "长沙市芙蓉区人民医院"
    x.save(update_fields=["name"])
    x.refresh_from_db()
    assert x.name_initials == "cssfrqrmyy"


def test_it_finds_by_name_registration_number_or_initials(institutions, x):
    """A registration searches every active institution: 名称, 登记号 (its start), 拼音首字母 (their start)."""
    assert names(Kind.REGISTER, query="芙蓉") == ["芙蓉医院"]
    assert names(Kind.REGISTER, query="FRYY") == ["芙蓉医院"]
    assert names(Kind.REGISTER, query=x.registration_number[:12]) == ["芙蓉医院"]
    assert set(names(Kind.REGISTER, query="医院")) == {"芙蓉医院", "天心医院", "荷塘医院", "江岸医院"}
    assert names(Kind.REGISTER, query="yy") == []  # initials match from the start only


def test_it_leaves_out_inactive_institutions(regions, institutions):
    """Only active institutions are offered."""
    InstitutionFactory(name="芙蓉旧医院", region=regions["furong"], is_active=False)
    assert names(Kind.REGISTER, query="芙蓉") == ["芙蓉医院"]


def test_it_returns_at_most_the_limit(regions):
    """Bounded: `limit` rows."""
    for n in range(5):
        InstitutionFactory(name=f"芙蓉诊所{n}", region=regions["furong"])
    assert len(names(Kind.REGISTER, query="芙蓉诊所", limit=3)) == 3


def test_a_filing_offers_the_records_province_without_its_main_institution(institutions, x):
    """多执业机构备案: inside the record's location (湖南), not the main institution; 湖北 left out."""
    _doctor, record = registered_doctor(at=x)
    assert names(Kind.FILING, [record]) == ["天心医院", "荷塘医院"]


def test_an_assistants_filing_stays_in_the_county(institutions, regions, x):
    """An assistant's location is one county."""
    _doctor, record = registered_doctor(at=x, level=Level.ASSISTANT)
    InstitutionFactory(name="芙蓉社区卫生服务中心", region=regions["furong"])
    assert names(Kind.FILING, [record]) == ["芙蓉社区卫生服务中心"]


def test_an_upgrade_offers_only_the_assistant_records_institution(institutions, x):
    """助师升医师 keeps the main institution."""
    _doctor, record = registered_doctor(at=x, level=Level.ASSISTANT)
    assert names(Kind.UPGRADE, [record]) == ["芙蓉医院"]


def test_types_of_the_main_institution_offer_the_persons_main_institutions(institutions, x):
    """注销, 证书补办, 申领电子证照, 变更到军队: the main institutions of valid records; none without one."""
    _doctor, record = registered_doctor(at=x)
    for kind in (Kind.DEREGISTER, Kind.REISSUE, Kind.E_CERTIFICATE, Kind.TO_MILITARY):
        assert names(kind, [record]) == ["芙蓉医院"]
    record.state = PracticeRecord.State.DEREGISTERED
    assert names(Kind.DEREGISTER, [record]) == []


def test_cancellations_offer_the_filed_institutions(institutions, x, y):
    """取消备案 / 取消多地点: the institutions of the valid filings / 多地点."""
    _doctor, record = registered_doctor(at=x)
    FilingFactory(record=record, institution=y)
    FilingFactory(record=record, institution=institutions["hetang"], cancelled=True)
    ExtraLocationFactory(record=record, institution=institutions["hetang"])
    assert names(Kind.FILING_CANCEL, [record]) == ["天心医院"]
    assert names(Kind.LOCATION_CANCEL, [record]) == ["荷塘医院"]


def test_the_institutions_own_types_offer_nothing(institutions):
    """INS-10 types are filed by the officer's own institution: no picker."""
    assert names(Kind.ARCHIVE) == [] and names(Kind.RENAME) == []


def test_the_query_is_bounded(institutions):
    """A pasted essay is cut, not an error."""
    assert names(Kind.REGISTER, query="芙蓉" + "x" * 1000) == []


def test_the_search_is_one_query(institutions, django_assert_num_queries):
    """One query for the options of a registration search (no pinyin computed per row)."""
    with django_assert_num_queries(1):
        list(institution_options_for(kind=Kind.REGISTER, person_records=[], query="fr"))
    assert Institution.objects.filter(name_initials="fryy").count() == 1
