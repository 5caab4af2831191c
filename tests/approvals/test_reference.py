"""SPEC §2: `manage.py load_reference` loads the reference data, completely and idempotently."""

from io import StringIO

import pytest
from django.core.management import call_command

from docregsys.reference.models import (
    Authority,
    Category,
    DeregistrationReason,
    ExamCategory,
    FilingReason,
    Level,
    PracticeScope,
    Region,
    Title,
    TreatmentSubject,
)

REFERENCE_MODELS = [
    Region,
    Authority,
    ExamCategory,
    PracticeScope,
    TreatmentSubject,
    Title,
    DeregistrationReason,
    FilingReason,
]


def _counts():
    return {model.__name__: model.objects.count() for model in REFERENCE_MODELS}


# A load takes well under a second, so each test loads into its own transaction rather than
# sharing a module-wide copy that would leak into other test modules' databases.
@pytest.fixture
def loaded(db):
    call_command("load_reference", stdout=StringIO())


def test_it_loads_the_whole_county_level(loaded):
    """SPEC §2: the full GB/T 2260 tree, with at least 2,800 county-level regions."""
    assert Region.objects.filter(level=Region.Level.COUNTY).count() >= 2800
    assert Region.objects.filter(level=Region.Level.PROVINCE, parent=None).count() == 34
    assert not Region.objects.filter(level=Region.Level.PROVINCE).exclude(parent=None).exists()


def test_it_links_county_to_city_to_province(loaded):
    """SPEC §2: 110105 朝阳区 sits under 110100 under 110000, with six-digit codes at every level."""
    chaoyang = Region.objects.select_related("parent__parent").get(code="110105")
    assert chaoyang.name == "朝阳区"
    assert chaoyang.full_name == "北京市朝阳区"
    assert chaoyang.parent.code == "110100"
    assert chaoyang.parent.level == Region.Level.CITY
    assert chaoyang.parent.parent.code == "110000"
    assert chaoyang.parent.parent.parent_id is None


def test_full_name_leaves_out_grouping_rows(loaded):
    """SPEC §2: full names read 湖南省长沙市芙蓉区 and 河南省济源市 (no 省直辖县级行政区划)."""
    assert Region.objects.get(code="430102").full_name == "湖南省长沙市芙蓉区"
    assert Region.objects.get(code="419001").full_name == "河南省济源市"
    assert Region.objects.get(code="500229").full_name == "重庆市城口县"


def test_grouping_rows_are_flagged(loaded):
    """SPEC §2: 市辖区 / 县 / 省直辖县级行政区划 group counties and are not cities."""
    for code in ["110100", "500200", "419000", "659000"]:
        assert Region.objects.get(code=code).is_grouping, code
    assert not Region.objects.get(code="430100").is_grouping
    assert not Region.objects.filter(level=Region.Level.COUNTY, is_grouping=True).exists()


def test_hong_kong_macau_and_taiwan_are_provinces_without_children(loaded):
    """SPEC §2: 810000, 820000 and 710000 exist as provincial units with no sub-divisions."""
    for code in ["810000", "820000", "710000"]:
        region = Region.objects.get(code=code)
        assert region.level == Region.Level.PROVINCE
        assert not region.children.exists()
        assert not region.authorities.exists()


def test_every_county_has_a_health_authority(loaded):
    """SPEC §2: each county has its 卫生健康局; 430102's is 湖南省长沙市芙蓉区卫生健康局."""
    counties = Region.objects.filter(level=Region.Level.COUNTY)
    assert not counties.exclude(authorities__kind=Authority.Kind.HEALTH).exists()
    furong = Authority.objects.get(region_id="430102", kind=Authority.Kind.HEALTH)
    assert furong.name == "湖南省长沙市芙蓉区卫生健康局"
    assert furong.level == Authority.Level.COUNTY


def test_cities_have_health_commissions_but_grouping_rows_do_not(loaded):
    """SPEC §2: 湖南省长沙市卫生健康委员会 exists; 北京市's 市辖区 row gets no authority."""
    assert Authority.objects.get(region_id="430100").name == "湖南省长沙市卫生健康委员会"
    assert not Authority.objects.filter(region__is_grouping=True).exists()


def test_provinces_have_health_and_tcm_administrations(loaded):
    """SPEC §2: every mainland province has a 卫生健康委员会 and a 中医药管理局."""
    mainland = Region.objects.filter(level=Region.Level.PROVINCE).exclude(
        code__in=["810000", "820000", "710000"]
    )
    assert mainland.count() == 31
    for kind in Authority.Kind:
        assert not mainland.exclude(authorities__kind=kind).exists(), kind
    assert Authority.objects.get(region_id="430000", kind=Authority.Kind.TCM).name == "湖南省中医药管理局"
    assert (
        Authority.objects.get(region_id="430000", kind=Authority.Kind.HEALTH).name == "湖南省卫生健康委员会"
    )


def test_national_authorities_exist_once(loaded):
    """SPEC §2: 国家卫生健康委员会 and 国家中医药管理局, national level, no region."""
    national = Authority.objects.filter(level=Authority.Level.NATIONAL, region=None)
    assert sorted(national.values_list("kind", "name")) == [
        ("health", "国家卫生健康委员会"),
        ("tcm", "国家中医药管理局"),
    ]


def test_exam_category_220_is_dental_assistant(loaded):
    """SPEC §2: 220 is 口腔执业助理医师, level assistant, category dental; 中西医结合 counts as 中医."""
    dental = ExamCategory.objects.get(code="220")
    assert (dental.name, dental.level, dental.category) == (
        "口腔执业助理医师",
        Level.ASSISTANT,
        Category.DENTAL,
    )
    assert ExamCategory.objects.get(code="150").category == Category.TCM
    assert ExamCategory.objects.count() == 10


def test_treatment_subjects_are_hierarchical(loaded):
    """SPEC §2: 03.01 呼吸内科专业 has parent 03 内科; 04.01.01 sits under 04.01."""
    subject = TreatmentSubject.objects.select_related("parent").get(code="03.01")
    assert subject.name == "呼吸内科专业"
    assert (subject.parent.code, subject.parent.name) == ("03", "内科")
    assert TreatmentSubject.objects.get(code="04.01.01").parent_id == "04.01"
    assert TreatmentSubject.objects.get(code="50").name == "中医科"
    assert TreatmentSubject.objects.get(code="69").parent_id is None


def test_practice_scopes_cover_every_category(loaded):
    """SPEC §2: each doctor category has its 执业范围, e.g. 临床 内科专业, 公共卫生 公共卫生类别专业."""
    for category in Category:
        assert PracticeScope.objects.filter(category=category).exists(), category
    clinical = set(PracticeScope.objects.filter(category=Category.CLINICAL).values_list("name", flat=True))
    assert {"内科专业", "医学检验、病理专业", "计划生育技术服务专业"} <= clinical
    tcm = set(PracticeScope.objects.filter(category=Category.TCM).values_list("name", flat=True))
    assert {"中医专业", "中西医结合专业", "蒙医专业", "藏医专业", "维医专业", "傣医专业"} <= tcm


def test_titles_and_reasons(loaded):
    """SPEC §2: five titles, the ten 注销情形 of seed 002 §6 and five 备案情形, in list order."""
    assert list(Title.objects.values_list("name", flat=True)) == [
        "医士",
        "医师",
        "主治医师",
        "副主任医师",
        "主任医师",
    ]
    reasons = list(DeregistrationReason.objects.values_list("name", flat=True))
    assert len(reasons) == 10
    assert reasons[0] == "死亡或者被宣告失踪的"
    assert reasons[-1] == "本人主动申请的"
    assert FilingReason.objects.count() == 5


def test_running_it_twice_changes_nothing(loaded):
    """SPEC §2: a second load succeeds, duplicates nothing and keeps local authority settings."""
    before = _counts()
    Authority.objects.filter(region_id="430102").update(statutory_days=15, is_active=False)

    out = StringIO()
    call_command("load_reference", stdout=out)

    assert _counts() == before
    assert "deregistration reasons: 10" in out.getvalue()
    furong = Authority.objects.get(region_id="430102")
    assert (furong.statutory_days, furong.is_active) == (15, False)
    assert Authority.objects.filter(level=Authority.Level.NATIONAL).count() == 2
