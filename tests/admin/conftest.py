"""Personas for the admin tests: reviewers of a county, a city, a province, the nation; a superuser; a doctor."""

import pytest

from docregsys.reference.models import Authority
from tests.factories import AuthorityFactory, InstitutionFactory, RegionFactory, UserFactory, region_tree


@pytest.fixture
def regions(db):
    """湖南省 → 长沙市 → 芙蓉区, 天心区; 株洲市 → 荷塘区; 湖北省 → 武汉市 → 江岸区."""
    province, city, furong, tianxin = region_tree()
    zhuzhou = RegionFactory(
        code="430200", name="株洲市", full_name="湖南省株洲市", level="city", parent=province
    )
    hetang = RegionFactory(
        code="430202", name="荷塘区", full_name="湖南省株洲市荷塘区", level="county", parent=zhuzhou
    )
    hubei = RegionFactory(code="420000", name="湖北省", level="province")
    wuhan = RegionFactory(code="420100", name="武汉市", full_name="湖北省武汉市", level="city", parent=hubei)
    jiangan = RegionFactory(
        code="420102", name="江岸区", full_name="湖北省武汉市江岸区", level="county", parent=wuhan
    )
    return {
        "province": province,
        "city": city,
        "furong": furong,
        "tianxin": tianxin,
        "zhuzhou": zhuzhou,
        "hetang": hetang,
        "hubei": hubei,
        "wuhan": wuhan,
        "jiangan": jiangan,
    }


@pytest.fixture
def institutions(regions):
    """Four institutions in four counties: 芙蓉区, 天心区 (both 长沙市), 荷塘区 (株洲市), 江岸区 (湖北省)."""
    return {
        key: InstitutionFactory(name=name, region=regions[key])
        for key, name in [
            ("furong", "芙蓉医院"),
            ("tianxin", "天心医院"),
            ("hetang", "荷塘医院"),
            ("jiangan", "江岸医院"),
        ]
    }


def _reviewer(username, region):
    authority = AuthorityFactory(region=region, name=f"{region.full_name}卫生健康委")
    return UserFactory(username=username, reviewer=True, authority=authority)


@pytest.fixture
def county_reviewer(regions):
    return _reviewer("frreviewer", regions["furong"])


@pytest.fixture
def tianxin_reviewer(regions):
    return _reviewer("txreviewer", regions["tianxin"])


@pytest.fixture
def city_reviewer(regions):
    return _reviewer("csreviewer", regions["city"])


@pytest.fixture
def province_reviewer(regions):
    return _reviewer("hnreviewer", regions["province"])


@pytest.fixture
def national_reviewer(db):
    authority = Authority.objects.create(name="国家卫生健康委员会", level="national", region=None)
    return UserFactory(username="gjreviewer", reviewer=True, authority=authority)


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def doctor(db):
    return UserFactory(username="doctor01")
