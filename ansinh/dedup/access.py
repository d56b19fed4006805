"""The only door for pages to fetch a duplicate candidate or a merge record: inside the user's
area. A pair is shown only to a user whose area holds both persons (a pair across two communes is
for the provincial officer); a merge record to a user whose area holds the survivor and held the
merged person. Outside the area the answer is 404, as for an id that does not exist."""

from django.http import Http404

from ansinh.accounts.scope import AreaScope, pk_or_404
from ansinh.dedup.models import DuplicateCandidate, MergeRecord
from ansinh.registry.models import Person


def candidates_for_user(user):
    """Candidates whose two persons are both registered inside the user's area (merged pairs
    keep showing through the merge record, not here)."""
    persons = AreaScope.for_user(user).filter(Person.objects.all()).values("pk")
    return DuplicateCandidate.objects.filter(left_id__in=persons, right_id__in=persons)


def access_candidate(user, pk) -> DuplicateCandidate:
    candidate = candidates_for_user(user).filter(pk=pk_or_404(pk)).first()
    if candidate is None:
        raise Http404("Không tìm thấy cặp hồ sơ này trong địa bàn của bạn.")
    return candidate


def access_merge(user, pk) -> MergeRecord:
    scope = AreaScope.for_user(user)
    merge = (
        scope.filter(
            MergeRecord.objects.select_related("survivor", "merged_by", "undone_by"), "survivor__commune"
        )
        .filter(pk=pk_or_404(pk))
        .first()
    )
    if merge is None or not scope.contains_commune(merge.before["merged"]["commune_id"]):
        raise Http404("Không tìm thấy lần gộp này trong địa bàn của bạn.")
    return merge
