"""Which region an exam-centre record belongs to (APP-5): the exam's area and site, or the holder's ID.

The region is stored as a six-digit GB/T 2260 code in ``region_code`` so a reviewer's scope is one
prefix filter, like every other scoped list. Exam results belong to where the exam was sat (考区 is
a province, 考点 names a city or county when it can be read); certificates and assessments to the
holder's region, the first six digits of a resident ID (the 资格证书编码 carries them in clear anyway).
"""

from __future__ import annotations

from collections.abc import Iterable


def resident_region(id_type: str, number: str) -> str:
    """The region code a resident ID starts with; '' for any other document."""
    head = (number or "")[:6]
    return head if id_type == "resident" and len(head) == 6 and head.isdigit() else ""


class ExamRegionResolver:
    """Maps (考区, 考点) to the most precise region code it names; '' when the area is not a province."""

    def __init__(self, regions: Iterable[tuple[str, str, str, str]]):
        """`regions`: (code, name, full_name, level) of every region."""
        self.provinces: dict[str, str] = {}
        self.below: dict[str, list[tuple[str, str]]] = {}  # province code → [(name, code)], longest first
        for code, name, full_name, level in regions:
            if level == "province":
                self.provinces[name] = code
                self.provinces[full_name] = code
            else:
                self.below.setdefault(code[:2] + "0000", []).append((name, code))
        for names in self.below.values():
            names.sort(key=lambda item: (-len(item[0]), item[1]))
        self.cache: dict[tuple[str, str], str] = {}

    def __call__(self, area: str, site: str) -> str:
        key = (area, site)
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = self._resolve(area, site)
        return found

    def _province(self, area: str) -> tuple[str, str]:
        if area in self.provinces:
            return area, self.provinces[area]
        for name, code in self.provinces.items():  # "湖南" for 湖南省
            if area and name.startswith(area):
                return name, code
        return "", ""

    def _resolve(self, area: str, site: str) -> str:
        province_name, province = self._province(area.strip())
        if not province:
            return ""
        site = site.strip()
        for prefix in (province_name, area):
            if prefix and site.startswith(prefix):
                site = site[len(prefix) :]
                break
        for name, code in self.below.get(province, ()):
            if name and site.startswith(name):
                return code
        return province
