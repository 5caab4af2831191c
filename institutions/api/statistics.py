"""/api/v1/institution/statistics/: INS-11 统计信息 as JSON (the officer's doctors by each dimension)."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from registrations.selectors import institution_statistics_for

from .verify import console_officer


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
