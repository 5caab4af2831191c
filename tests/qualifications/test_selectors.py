"""QUA-4: verification lookups by ID number and by certificate number."""

import pytest

from qualifications.selectors import (
    certificate_by_number,
    certificates_for_id_number,
    exam_results_for_id_number,
)
from tests.factories import CertificateFactory, ExamResultFactory, make_resident_id

pytestmark = pytest.mark.django_db


def test_exam_results_for_id_number_finds_the_persons_results_in_one_query(django_assert_num_queries):
    """QUA-4: one query on the digest index, category joined."""
    number = make_resident_id(seq="101")
    mine = [ExamResultFactory(id_number=number, year=2024), ExamResultFactory(id_number=number, year=2025)]
    ExamResultFactory(id_number=make_resident_id(seq="102"))
    with django_assert_num_queries(1):  # the results with their exam category
        found = exam_results_for_id_number(number.lower())
        assert [r.exam_category.name for r in found] == ["临床执业医师", "临床执业医师"]
    assert {r.pk for r in found} == {r.pk for r in mine}


def test_certificates_for_id_number_in_one_query(django_assert_num_queries):
    number = make_resident_id(seq="103")
    cert = CertificateFactory(id_number=number)
    CertificateFactory()
    with django_assert_num_queries(1):  # the certificates by digest
        assert certificates_for_id_number(f" {number} ") == [cert]


def test_certificate_by_number_in_one_query(django_assert_num_queries):
    cert = CertificateFactory()
    with django_assert_num_queries(1):  # the certificate by its unique number
        assert certificate_by_number(cert.number) == cert
    with django_assert_num_queries(1):
        assert certificate_by_number("000") is None


def test_empty_input_finds_nothing_without_a_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert exam_results_for_id_number("") == []
        assert certificates_for_id_number(" ") == []
        assert certificate_by_number("") is None
