"""Every console list exports to XLSX and CSV with the page's filters (issue 9 "Export"): the lists of
accounts, department members and pending reviews (the doctor lists, activation and statistics have theirs)."""

import csv
import io

import pytest
from openpyxl import load_workbook

from tests import personas
from tests.institutions.test_list_query_counts import _doctors

pytestmark = pytest.mark.django_db

LISTS = {
    "/institution/doctor-accounts/": ["姓名", "身份证号", "用户名", "手机", "是否激活", "注册时间", "最近登录"],
    "/institution/system/department-members/": [
        "姓名", "性别", "年龄", "医师类别", "医师级别", "执业范围", "医师账户状态", "所在科室",
    ],  # fmt: skip
    "/institution/reviews/": ["姓名", "身份证号", "注册时间", "信息是否有更新"],
}


@pytest.fixture
def console(client, officer_x):
    _doctors(0, 3, officer_x.institution, personas.institution("jiangan"))
    client.force_login(officer_x)
    return client


@pytest.mark.parametrize("url", LISTS)
def test_a_list_exports_its_rows_as_xlsx_with_the_name_filter(console, url):
    response = console.get(url, {"export": "xlsx", "name": "医师0001"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == LISTS[url]
    assert [row[0] for row in rows[1:]] == ["医师0001"]  # the filter applies; the other two are left out
    assert not any("19800101" in str(cell) for row in rows for cell in row)  # ID numbers only masked


@pytest.mark.parametrize("url", LISTS)
def test_a_list_exports_every_row_as_csv(console, url):
    response = console.get(url, {"export": "csv"})
    text = response.content.decode("utf-8-sig")
    names = sorted(row[0] for row in list(csv.reader(io.StringIO(text)))[1:])
    assert names == ["医师0000", "医师0001", "医师0002"]


@pytest.mark.parametrize("url", LISTS)
def test_another_institutions_officer_exports_none_of_xs_doctors(client, officer_x, officer_y, url):
    _doctors(0, 3, officer_x.institution, personas.institution("jiangan"))
    client.force_login(officer_y)
    rows = list(csv.reader(io.StringIO(client.get(url, {"export": "csv"}).content.decode("utf-8-sig"))))
    assert rows[1:] == []
