"""The institutions of the personas' geography, by the names the rule tests use (tests/personas.py)."""

import pytest


@pytest.fixture
def x(institutions):
    """芙蓉医院 (芙蓉区, 长沙市, 湖南省)."""
    return institutions["furong"]


@pytest.fixture
def y(institutions):
    """天心医院 (天心区, 长沙市, 湖南省)."""
    return institutions["tianxin"]


@pytest.fixture
def hetang(institutions):
    """荷塘医院 (荷塘区, 株洲市, 湖南省)."""
    return institutions["hetang"]


@pytest.fixture
def jiangan(institutions):
    """江岸医院 (江岸区, 武汉市, 湖北省)."""
    return institutions["jiangan"]
