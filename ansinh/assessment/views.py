"""The officer's calculator (tra cứu chế độ): type the facts, or start from a registered person,
and a month; see every benefit with its amount, legal basis and explanation, as the API gives."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ansinh.assessment.forms import FactsForm
from ansinh.assessment.selectors import registry_facts
from ansinh.assessment.services import assessment_run
from ansinh.core.errors import DomainError
from ansinh.core.months import current_month, parse_month
from ansinh.registry.access import access_person


def add_facts_error(form: FactsForm, error: DomainError) -> None:
    """Each fact named by the law beside its field; the rest above the form."""
    for fact, message in (error.fields or {}).items():
        form.add_error(form.field_for(fact), message)
    if not error.fields:
        form.add_error(None, error.message)


@login_required
def calculator(request):
    person = None
    results = None
    month = current_month()
    if request.method == "POST":
        form = FactsForm(request.POST)
        if form.is_valid():
            try:
                month = parse_month(form.cleaned_data["month"])
                results = assessment_run(facts=form.facts(), month=month)
            except DomainError as error:
                add_facts_error(form, error)
    else:
        initial = {"month": f"{month:%Y-%m}"}
        if request.GET.get("person"):
            person = access_person(request.user, request.GET["person"])
            initial.update(FactsForm.initial_from(registry_facts(person, month)))
        form = FactsForm(initial=initial)
    return render(
        request,
        "assessment/calculator.html",
        {"form": form, "results": results, "month": month, "person": person},
    )
