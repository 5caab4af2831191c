"""/api/v1/institution/statistics/ (INS-11 统计信息) and outside/ (医师在外省注册情况) as JSON, the officer's doctors only."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from registrations.selectors import institution_statistics_for, outside_record_list_for

from .officers import console_officer


class CountSerializer(serializers.Serializer):
    label = serializers.CharField()
    count = serializers.IntegerField()


class DimensionSerializer(serializers.Serializer):
    key = serializers.ChoiceField(choices=["category", "level", "scope", "title", "department", "sex", "age"])
    title = serializers.CharField()
    counts = CountSerializer(many=True)


class StatisticsSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="主执业机构在本院的有效注册医师人数")
    dimensions = DimensionSerializer(many=True)


@extend_schema(responses=StatisticsSerializer, tags=["institution"])
@api_view(["GET"])
def statistics(request):
    """INS-11: counts by category, level, scope, title, department, sex and age band (a fixed number of queries)."""
    data = institution_statistics_for(user=console_officer(request))
    return Response(
        {
            "total": data["total"],
            "dimensions": [
                {
                    "key": key,
                    "title": str(title),
                    "counts": [{"label": label, "count": n} for label, n in counts],
                }
                for key, title, counts in data["dimensions"]
            ],
        }
    )


urlpatterns: list = [path("statistics/", statistics, name="statistics")]


class OutsideRecordSerializer(serializers.Serializer):
    """One practice record in another province of a doctor whose main institution is the officer's."""

    real_name = serializers.CharField()
    certificate_number = serializers.CharField(source="home_certificate_number", help_text="执业证书编码")
    home_location = serializers.CharField(help_text="本院执业地点")
    location = serializers.CharField(source="location.full_name", help_text="外省执业地点")
    institution = serializers.CharField(source="main_institution.name", help_text="外省执业机构")
    state = serializers.CharField()
    state_display = serializers.CharField(source="get_state_display")
    authority = serializers.CharField(source="authority.name", help_text="审批机关")
    approval_date = serializers.DateField(allow_null=True, help_text="批准日期")


@extend_schema(tags=["institution"])
class OutsideList(generics.ListAPIView):
    """医师在外省注册情况: the officer's doctors' practice records in other provinces, paged."""

    serializer_class = OutsideRecordSerializer
    filter_backends: list = []

    def get_queryset(self):
        return outside_record_list_for(user=console_officer(self.request))


urlpatterns.append(path("outside/", OutsideList.as_view(), name="outside"))
