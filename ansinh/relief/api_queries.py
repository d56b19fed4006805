"""Reads the relief API needs beyond ansinh.relief.selectors: an affected household with its
people, its support (proposal or decision, line by line) and what it has received, fetched in a
fixed number of queries however many households are listed."""

from django.db.models import Prefetch, QuerySet

from ansinh.relief.models import AffectedHousehold, Distribution, SupportLine


def affected_with_support(queryset: QuerySet[AffectedHousehold]) -> QuerySet[AffectedHousehold]:
    """`queryset` (already scoped by the caller) with persons, support lines and distributions
    loaded: 4 queries for the whole page (households with their support, persons, lines,
    distributions)."""
    return queryset.select_related("commune", "village", "support").prefetch_related(
        "persons",
        Prefetch("support__lines", queryset=SupportLine.objects.select_related("item", "person")),
        Prefetch("distributions", queryset=Distribution.objects.select_related("item")),
    )
